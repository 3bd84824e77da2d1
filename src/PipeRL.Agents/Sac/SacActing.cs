using PipeRL.Agents.Acting;
using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Replay;
using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Sac;

/// <summary>
/// The acting side both SAC trainers share: one env and the shared <see cref="ActingLoop"/> (uniform actions until
/// learning starts), every tick's transition (c_t, a_t, r_t, ends) stored in the sequence replay with the final input
/// where an episode ended. The stored input is the critic's, c_t = [o_t; a_(t−K) … a_(t−1)], so Q(c_t, a_t) gets the
/// action a_t beside, not inside, its input. A delayed actor with the in-flight window acts on [o_t; a_(t−K+1) … a_t],
/// which the sampled windows rebuild from c_t and the row after it (<see cref="ReplayWindows.ActorInputs"/>); with the
/// authors' window the actor's input is c_t itself. It also fixes which replayed tick gives a_t.
/// </summary>
internal sealed class SacActing
{
    private const int StateVersion = 1;

    private readonly IVectorEnv _env;
    private readonly ActingLoop _loop;
    private readonly WarmUpPolicy _policy;
    private readonly SequenceReplayBuffer _replay;
    private readonly float[] _observation;
    private readonly float[] _finalInput;
    private readonly double[] _reward = new double[1];
    private readonly bool[] _terminated = new bool[1];
    private readonly bool[] _truncated = new bool[1];
    private double _episodeReturn;
    private long _episodeTicks;
    private bool _started;

    public SacActing(IVectorEnv env, IActorNetwork actor, PolicyDistribution policy, SacOptions options, HistoryWindow window)
    {
        if (env.NumEnvs != 1 || env.AutoresetMode != AutoresetMode.SameStep)
        {
            throw new ArgumentException("SAC steps one env with same-step autoreset.", nameof(env));
        }

        RequireSupported(actor);
        var receptive = actor.ReceptiveWindow!.Value;

        _env = env;
        _policy = new WarmUpPolicy(policy, env.SingleActionSpace);
        var observationSize = env.SingleObservationSpace.FlatSize;
        _loop = new ActingLoop(actor, env.SingleActionSpace, 1, observationSize, window, _policy);

        // The actor's replay gives at each tick the output that decides that tick's action: an instant actor's reads the
        // tick's own input, a delayed actor's was computed on the tick before, so its window reaches one tick further
        // back. The transition's tick is the window's last, a′ the tick after it.
        var lag = actor.ActsBeforeInput ? 1 : 0;
        WindowLength = receptive + 1 + lag + options.WarmUp;
        ReplayTicks = WindowLength + 1;
        // MinAtar's boolean channels and a one-hot action history are all 0 or 1: a byte each instead of a float.
        var binary = env.SingleObservationSpace is BoxSpace { IsBinary: true } && (actor.HistoryLength == 0 || env.SingleActionSpace is DiscreteSpace);
        _replay = new SequenceReplayBuffer(options.BufferSize, actor.InputSize, policy.ActionSize, WindowLength, options.Truncation, binary);
        var inFlight = window == HistoryWindow.InFlight && actor.ActsBeforeInput && actor.HistoryLength > 0;
        Windows = new ReplayWindows(options.BatchSize, WindowLength, actor.InputSize, policy.ActionSize, inFlight ? observationSize : null);
        _observation = new float[observationSize];
        _finalInput = new float[actor.InputSize];
    }

    /// <summary>Throws an <see cref="ArgumentException"/> for an actor SAC cannot replay: one without a finite receptive window or a new action every tick.</summary>
    public static void RequireSupported(IActorNetwork actor)
    {
        if (actor.ActionPeriod != 1 || actor.ReceptiveWindow is null)
        {
            throw new ArgumentException("SAC replays windows of the actor's receptive window with a new action every tick: sequential and recurrent actors are not supported.", nameof(actor));
        }
    }

    /// <summary>L, the ticks of a stored window: the actor's receptive window, the transition's tick, a delayed actor's one tick of lag and the warm-up.</summary>
    public int WindowLength { get; }

    /// <summary>Ticks of a window the actor replays, the window and the tick after it: the last two replayed ticks' outputs decide a_t and a′ (rows [0, B) and [B, 2B) from tick <see cref="ReplayTicks"/> − 2).</summary>
    public int ReplayTicks { get; }

    /// <summary>The latest sampled windows.</summary>
    public ReplayWindows Windows { get; }

    /// <summary>The sequence replay.</summary>
    public SequenceReplayBuffer Replay => _replay;

    /// <summary>Whether acting has begun (<see cref="Begin"/> or <see cref="Resume"/>); later ticks continue the episode in progress.</summary>
    public bool Started => _started;

    /// <summary>Starts fresh episodes from <paramref name="seed"/> with empty histories and starts the actor.</summary>
    public void Begin(int seed, WorkerPool? workers)
    {
        _env.Reset(_observation, seed);
        _loop.Begin(_observation, workers);
        (_episodeReturn, _episodeTicks, _started) = (0, 0, true);
    }

    /// <summary>
    /// Writes the acting state between two ticks: the env's state (random sources included), its observation, the
    /// episode in progress, the action history and the actor's layer values.
    /// </summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader("sac acting", StateVersion);
        writer.Write(_started);
        if (!_started)
        {
            return;
        }

        writer.WriteArray(_observation);
        writer.Write(_episodeReturn);
        writer.Write(_episodeTicks);
        _loop.WriteState(writer);
        Stateful.WriteState(writer);
    }

    /// <summary>Continues from a state <see cref="WriteState"/> wrote, instead of <see cref="Begin"/>: the next tick is the one the writer's next would have been.</summary>
    public void Resume(BinaryReader reader, WorkerPool? workers)
    {
        reader.ReadHeader("sac acting", StateVersion);
        _started = reader.ReadBoolean();
        if (!_started)
        {
            return;
        }

        reader.ReadArray(_observation);
        _episodeReturn = reader.ReadDouble();
        _episodeTicks = reader.ReadInt64();
        _loop.Resume(reader, workers);
        Stateful.ReadState(reader);
    }

    /// <summary>
    /// Acts for one tick (uniformly at random while <paramref name="warmUp"/>), stores the transition and reports an
    /// ended episode at tick <paramref name="tick"/>.
    /// </summary>
    public void Step(SeededRandom random, bool warmUp, long tick, ITrainingObserver? observer)
    {
        _policy.Uniform = warmUp;
        _loop.Act(_observation, random);
        _env.Step(_loop.EnvActions, _observation, _reward, _terminated, _truncated);
        _episodeReturn += _reward[0];
        _episodeTicks++;
        var ended = _terminated[0] || _truncated[0];
        if (ended)
        {
            _loop.WriteHistoryInput(0, _env.FinalObservation(0), _finalInput);
        }

        _replay.Add(_loop.CriticInputs, _loop.Actions, (float)_reward[0], _terminated[0], _truncated[0], _finalInput);
        if (ended)
        {
            observer?.OnEpisode(tick, _episodeReturn, _episodeTicks);
            (_episodeReturn, _episodeTicks) = (0, 0);
            _loop.EndEpisode(0);
        }
    }

    private IStatefulEnv Stateful => _env as IStatefulEnv
        ?? throw new NotSupportedException($"The env ({_env.GetType().Name}) cannot save its state, so a checkpoint of this trainer could not continue the run exactly.");

    /// <summary>Samples <see cref="Windows"/>.</summary>
    public void Sample(SeededRandom random) => _replay.Sample(random, Windows);
}
