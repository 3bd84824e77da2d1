using PipeRL.Agents.Acting;
using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Replay;
using PipeRL.Envs;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;
using PipeRL.Tensors.Optim;

namespace PipeRL.Agents.Sac;

/// <summary>
/// What continuous and discrete SAC share: the loop (act a tick, store it, learn, report), its schedule (the critics
/// every update-frequency ticks, the actor and α every policy-frequency ticks, the targets every
/// target-network-frequency ticks), the replay of the actor over sampled windows, and the run state. A subclass
/// writes the two steps that differ: <see cref="UpdateCritics"/> and <see cref="UpdatePolicy"/>.
/// </summary>
public abstract class SacTrainerBase : ITrainer
{
    private readonly int _seed;
    private readonly Tape _actorTape = new();
    private readonly Tape _criticTape = new();
    private readonly Tape _targetTape = new();
    private readonly WorkerChoice _criticThreads = new();
    private readonly WorkerChoice _policyThreads = new();
    private readonly int[] _rows;
    private readonly SacActing _acting;
    private readonly SacCheckpoint _checkpoint;
    private WorkerPool? _workers;
    private long _ticks;
    private int _updates;
    private long _learnAfter;
    private volatile bool _stopRequested;

    /// <summary>
    /// Acts with the history <paramref name="window"/>. Builds the twin critics (from <paramref name="criticSeed"/>, with <paramref name="actionInputs"/> action floats
    /// beside the input and <paramref name="criticOutputs"/> values out), the Adams, the acting side and the random source
    /// of the updates (from <paramref name="updateSeed"/>), in that order.
    /// </summary>
    private protected SacTrainerBase(
        IVectorEnv env, IActorNetwork actor, PolicyDistribution policy, SacOptions options, HistoryWindow window, int seed,
        ulong criticSeed, int actionInputs, int criticOutputs, ulong updateSeed)
    {
        (Actor, Options, _seed) = (actor, options, seed);
        var rng = new SeededRandom(criticSeed);
        Critics = new TwinCritics(env.SingleObservationSpace.Shape, actor.InputSize, actionInputs, criticOutputs, options, rng);
        ActorAdam = new Adam(actor.Parameters, options.PolicyLearningRate, eps: options.AdamEpsilon);
        AlphaAdam = new Adam([LogAlpha], options.AlphaLearningRate, eps: options.AdamEpsilon);
        Alpha = options.Autotune ? 1f : options.Alpha;

        _acting = new SacActing(env, actor, policy, options, window);
        Windows = _acting.Windows;
        _rows = [.. Enumerable.Range(0, options.BatchSize)];
        _learnAfter = Math.Max(options.LearningStarts, _acting.WindowLength);
        Random = new SeededRandom(updateSeed);
        _checkpoint = new SacCheckpoint(actor, ActorAdam, Critics, LogAlpha, AlphaAdam, Random, _acting, Report);

        var b = options.BatchSize;
        Inputs = Tensor.Zeros(b, actor.InputSize);
        NextInputs = Tensor.Zeros(b, actor.InputSize);
        Targets = Tensor.Zeros(b, 1);
        Done = new bool[b];
    }

    /// <summary>Receives finished episodes and, every report-interval ticks, the means of the interval's updates; may be null.</summary>
    public ITrainingObserver? Observer { get; set; }

    /// <summary>
    /// Threads for the networks' matrix products and convolutions, or null for the calling thread only. Each kind of
    /// update (critics; actor and temperature) runs with them only while its timing checks find that faster
    /// (<see cref="WorkerChoice"/>); the results are the same bits either way.
    /// </summary>
    public WorkerPool? Workers
    {
        get => _workers;
        set
        {
            _workers = value;
            UseWorkers(value);
        }
    }

    /// <summary>How many critic and policy updates ran with the workers, of how many (timing checks included).</summary>
    public (long PoolUpdates, long Updates) WorkerUse => (_criticThreads.PoolUnits + _policyThreads.PoolUnits, _criticThreads.Units + _policyThreads.Units);

    /// <summary>Ticks taken so far.</summary>
    public long Ticks => _ticks;

    /// <summary>Report intervals completed so far.</summary>
    public int Updates => _updates;

    /// <inheritdoc/>
    public IReadOnlyList<string> StatNames => SacReport.Names;

    /// <summary>L, the ticks of a stored window: the actor's receptive window, the transition's tick, a delayed actor's one tick of lag and the warm-up.</summary>
    public int WindowLength => _acting.WindowLength;

    /// <summary>Ticks of each window the actor replays (the window, plus the next input for an instant actor).</summary>
    public int ReplayTicks => _acting.ReplayTicks;

    /// <summary>The temperature α.</summary>
    public float Alpha { get; private protected set; }

    /// <summary>What the latest updates reported.</summary>
    public SacUpdateStats Stats { get; private protected set; }

    /// <summary>The first critic (for tests and inspection).</summary>
    public QNetwork Q1 => Critics.Q1;

    /// <summary>The sequence replay (for tests).</summary>
    internal SequenceReplayBuffer Replay => _acting.Replay;

    private protected IActorNetwork Actor { get; }

    private protected SacOptions Options { get; }

    private protected TwinCritics Critics { get; }

    private protected Adam ActorAdam { get; }

    private protected Adam AlphaAdam { get; }

    private protected Parameter LogAlpha { get; } = new("log_alpha", new Shape(1));

    private protected SeededRandom Random { get; }

    private protected SacReport Report { get; } = new();

    /// <summary>The sampled windows of the current update.</summary>
    private protected ReplayWindows Windows { get; }

    /// <summary>The critics' tape (the actor loss runs through the critics on it too).</summary>
    private protected Tape CriticTape => _criticTape;

    /// <summary>The tape of the target critics' forward passes (no gradient is taken on it).</summary>
    private protected Tape TargetTape => _targetTape;

    /// <summary>x and x′ of the sampled transitions, [batch, input].</summary>
    private protected Tensor Inputs { get; }

    private protected Tensor NextInputs { get; }

    /// <summary>The soft targets y, [batch, 1].</summary>
    private protected Tensor Targets { get; }

    /// <summary>Whether each sampled transition ends without a bootstrap (a termination, or a time-limit cut under <c>--truncation terminal</c>).</summary>
    private protected bool[] Done { get; }

    /// <summary>Asks <see cref="Train"/> to return after the tick in progress (safe from another thread or a signal handler).</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Trains until <paramref name="totalTicks"/> ticks, or until <see cref="RequestStop"/>.</summary>
    public void Train(long totalTicks)
    {
        // The first call resets the env from the seed; a later one, or one after LoadState, continues the episode in progress.
        if (!_acting.Started)
        {
            _acting.Begin(_seed, Workers);
        }

        while (_ticks < totalTicks && !_stopRequested)
        {
            // Act: uniform random actions until learning starts, then samples of the policy; store the transition.
            _acting.Step(Random, warmUp: _ticks < Options.LearningStarts, _ticks + 1, Observer);
            _ticks++;

            if (_ticks > _learnAfter)
            {
                Learn();
            }

            if (_ticks % Options.ReportInterval == 0)
            {
                _updates = (int)(_ticks / Options.ReportInterval);
                Observer?.OnUpdate(_ticks, Report.Take(Alpha));
            }
        }

        _stopRequested = false;
    }

    /// <summary>One tick's learning: the critics every update-frequency ticks, the actor and α every policy-frequency ticks, the targets every target-network-frequency ticks.</summary>
    private void Learn()
    {
        if (_ticks % Options.UpdateFrequency == 0)
        {
            UseWorkers(_criticThreads.Next(_workers));
            _acting.Sample(Random);
            var outputs = ReplayActor();
            PrepareBatch();
            UpdateCritics(outputs);
            _criticThreads.Done();
            if (_ticks % Options.PolicyFrequency == 0)
            {
                UseWorkers(_policyThreads.Next(_workers));
                for (var iteration = 0; iteration < Options.PolicyIterations; iteration++)
                {
                    UpdatePolicy(iteration == 0 ? outputs : ReplayActor(currentOnly: true));
                }

                _policyThreads.Done();
            }
        }

        if (_ticks % Options.TargetNetworkFrequency == 0)
        {
            Critics.UpdateTargets(Options.TargetUpdateRate);
        }
    }

    private void UseWorkers(WorkerPool? workers) => (_actorTape.Workers, _criticTape.Workers, _targetTape.Workers) = (workers, workers, workers);

    /// <summary>Copies the sampled transitions' inputs x, x′ and ends into <see cref="Inputs"/>, <see cref="NextInputs"/> and <see cref="Done"/>.</summary>
    private void PrepareBatch()
    {
        var w = Windows;
        for (var i = 0; i < w.Batch; i++)
        {
            Done[i] = w.Terminated[i] || (w.Truncated[i] && Options.Truncation == TruncationHandling.Terminal);
        }

        w.Tick(w.Length - 1).CopyTo(Inputs.Span);
        w.Tick(w.Length).CopyTo(NextInputs.Span);
    }

    /// <summary>
    /// Replays the actor over the sampled windows: rows [0, B) are its outputs at the transitions' ticks, rows [B, 2B)
    /// one tick later (for a′); <paramref name="currentOnly"/> replays only what rows [0, B) need.
    /// </summary>
    private protected Var ReplayActor(bool currentOnly = false)
    {
        _actorTape.Reset();
        var w = Windows;
        var ticks = _acting.ReplayTicks - (currentOnly ? 1 : 0);
        return Actor.Replay(_actorTape, w.ActorInputs.AsSpan(0, ticks * w.Batch * w.InputSize), ticks, _rows, start: null, episodeStarts: default, fromTick: ticks - 2 + (currentOnly ? 1 : 0));
    }

    /// <summary>One Adam step of both critics towards the soft targets of the sampled transitions, given the replayed actor's outputs.</summary>
    private protected abstract void UpdateCritics(Var actorOutputs);

    /// <summary>One Adam step of the actor (and, when tuned, of the temperature) on the sampled inputs, given the replayed actor's outputs.</summary>
    private protected abstract void UpdatePolicy(Var actorOutputs);

    /// <summary>Throws for a null argument or options that do not validate (before a subclass reads the action space).</summary>
    private protected static void Check(IVectorEnv env, IActorNetwork actor, SacOptions options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
    }

    /// <summary>The mean of <paramref name="values"/>, summed in double.</summary>
    private protected static double Mean(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    /// <summary>Steps the critics' Adam on the summed MSE of both critics' <paramref name="q1"/> and <paramref name="q2"/> (on <see cref="CriticTape"/>) against the soft targets, and reports it.</summary>
    private protected void StepCritics(Var q1, Var q2)
    {
        var tape = _criticTape;
        var loss = tape.MseLoss(q1, tape.Input(Targets)) + tape.MseLoss(q2, tape.Input(Targets));
        Critics.Adam.ZeroGrad();
        tape.Backward(loss);
        Critics.Adam.Step();
        Stats = Stats with { QLoss = loss.Value.Span[0], QValue = Mean(q1.Value.Span) };
        Report.Critic(Stats.QLoss, Stats.QValue);
    }

    /// <summary>Steps the actor's Adam on the gradient <paramref name="gradOutputs"/> of the loss with respect to the replayed outputs.</summary>
    private protected void StepActor(Var actorOutputs, ReadOnlySpan<float> gradOutputs)
    {
        ActorAdam.ZeroGrad();
        _actorTape.Backward(actorOutputs, gradOutputs[..actorOutputs.Value.Length]);
        ActorAdam.Step();
    }

    /// <summary>Steps the temperature's Adam on the loss value <paramref name="loss"/> (its gradient with respect to log α) and returns the new α.</summary>
    private protected float StepTemperature(float loss)
    {
        AlphaAdam.ZeroGrad();
        LogAlpha.Grad.Span[0] = loss;
        AlphaAdam.Step();
        Alpha = MathF.Exp(LogAlpha.Value.Span[0]);
        return Alpha;
    }

    /// <summary>
    /// Adds everything continuing the run depends on to <paramref name="checkpoint"/>, between two ticks: the actor, the
    /// critics and their targets, the three Adams, log α, the counters, the random source, the acting state (env,
    /// episode in progress, action history, layer values), the report interval in progress, and what a load needs to
    /// trust the replay, whose rows added since the last save are first written beside the checkpoint
    /// (<see cref="KeepStateBeside"/>); save the checkpoint before the next call.
    /// </summary>
    public void SaveState(Checkpoint checkpoint) => _checkpoint.Save(checkpoint, _ticks, _updates, _learnAfter);

    /// <summary>Keeps the replay in files beside the checkpoint at <paramref name="checkpointPath"/>; call it before the first save or load.</summary>
    public void KeepStateBeside(string checkpointPath) => _checkpoint.KeepReplayBeside(checkpointPath);

    /// <summary>
    /// Restores what <see cref="SaveState"/> wrote, so the next <see cref="Train"/> continues exactly as the saving
    /// trainer would have (set <see cref="Workers"/> first); returns what the resume restored.
    /// </summary>
    public string LoadState(Checkpoint checkpoint)
    {
        (_ticks, _updates, _learnAfter, var note) = _checkpoint.Load(checkpoint, Workers, Math.Max(Options.LearningStarts, _acting.WindowLength));
        Alpha = Options.Autotune ? MathF.Exp(LogAlpha.Value.Span[0]) : Options.Alpha;
        return note;
    }

    /// <summary>Adds the actor (under <see cref="ITrainer.ActorPrefix"/>) and the two critics.</summary>
    public void AddParameters(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.AddParameters(Actor.Parameters, ITrainer.ActorPrefix);
        Critics.AddParameters(checkpoint);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _actorTape.Dispose();
        _criticTape.Dispose();
        _targetTape.Dispose();
        _checkpoint.Dispose();
        GC.SuppressFinalize(this);
    }
}
