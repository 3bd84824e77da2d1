using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Agents.Replay;
using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Sac;

/// <summary>
/// The acting side both SAC trainers share: one env, the actor ticking on [o_t; action history], and every tick's
/// transition stored in the sequence replay (with the final input where an episode ended).
/// </summary>
internal sealed class SacActing
{
    private readonly IVectorEnv _env;
    private readonly IActorNetwork _actor;
    private readonly ActionHistory _history;
    private readonly SequenceReplayBuffer _replay;
    private readonly float[] _observation;
    private readonly float[] _finalInput;
    private readonly double[] _reward = new double[1];
    private readonly bool[] _terminated = new bool[1];
    private readonly bool[] _truncated = new bool[1];
    private double _episodeReturn;
    private long _episodeTicks;

    public SacActing(IVectorEnv env, IActorNetwork actor, int actionWidth, bool discrete, SequenceReplayBuffer replay)
    {
        if (env.NumEnvs != 1 || env.AutoresetMode != AutoresetMode.SameStep)
        {
            throw new ArgumentException("SAC steps one env with same-step autoreset.", nameof(env));
        }

        (_env, _actor, _replay) = (env, actor, replay);
        var observationSize = env.SingleObservationSpace.FlatSize;
        _history = new ActionHistory(1, actor.HistoryLength, actionWidth, discrete);
        if (observationSize + _history.Width != actor.InputSize)
        {
            throw new ArgumentException($"The actor's input of {actor.InputSize} floats is not the observation ({observationSize}) plus {actor.HistoryLength} actions.", nameof(actor));
        }

        _observation = new float[observationSize];
        _finalInput = new float[actor.InputSize];
        Input = new float[actor.InputSize];
        Output = new float[actor.OutputSize];
    }

    /// <summary>The input of the coming tick.</summary>
    public float[] Input { get; }

    /// <summary>The actor's output after the latest <see cref="Tick"/>.</summary>
    public float[] Output { get; }

    /// <summary>Starts fresh episodes from <paramref name="seed"/> with empty histories and starts the actor.</summary>
    public void Begin(int seed, WorkerPool? workers)
    {
        _env.Reset(_observation, seed);
        _history.ClearAll();
        _history.WriteInput(0, _observation, Input);
        _actor.Begin(Input, 1, workers);
        (_episodeReturn, _episodeTicks) = (0, 0);
    }

    /// <summary>Advances the actor one tick on <see cref="Input"/>, writing <see cref="Output"/>.</summary>
    public void Tick() => _actor.Step(Input, Output);

    /// <summary>Applies <paramref name="action"/>, stores the transition, reports an ended episode at tick <paramref name="tick"/> and writes the next input.</summary>
    public void Step(ReadOnlySpan<float> action, long tick, ITrainingObserver? observer)
    {
        _env.Step(action, _observation, _reward, _terminated, _truncated);
        _history.Push(0, action);
        _episodeReturn += _reward[0];
        _episodeTicks++;
        var ended = _terminated[0] || _truncated[0];
        if (ended)
        {
            _history.WriteInput(0, _env.FinalObservation(0), _finalInput);
        }

        _replay.Add(Input, action, (float)_reward[0], _terminated[0], _truncated[0], _finalInput);
        if (ended)
        {
            observer?.OnEpisode(tick, _episodeReturn, _episodeTicks);
            (_episodeReturn, _episodeTicks) = (0, 0);
            _history.Clear(0);
        }

        _history.WriteInput(0, _observation, Input);
    }
}
