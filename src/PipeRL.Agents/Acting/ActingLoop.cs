using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Acting;

/// <summary>
/// How an actor acts on a batch of envs, tick by tick, for every algorithm and for evaluation: the actor, its action
/// history and the policy distribution. Each <see cref="Act"/> takes the observations o_t and decides the actions
/// a_t in causal order: a delayed actor's a_t comes from the head value final before tick t, so with the
/// <see cref="HistoryWindow.InFlight"/> window it is pushed before the input [o_t; a_(t−K+1) … a_t] is written and
/// ticked; an instant actor ticks on [o_t; a_(t−K) … a_(t−1)] and then draws a_t from the result.
/// </summary>
public sealed class ActingLoop
{
    private const int StateVersion = 1;

    private readonly IActorNetwork _actor;
    private readonly ActionHistory _history;
    private readonly float[] _inputs;
    private readonly float[] _criticInputs;
    private bool _criticReadsInputs;
    private readonly float[] _actions;
    private readonly float[] _envActions;
    private readonly float[] _logProbs;

    /// <summary>
    /// Acts with <paramref name="actor"/> on <paramref name="numEnvs"/> envs of the given spaces, writing histories with
    /// <paramref name="window"/>; <paramref name="policy"/> replaces the action space's default distribution (SAC's squashed Gaussian).
    /// </summary>
    public ActingLoop(IActorNetwork actor, Space actionSpace, int numEnvs, int observationSize, HistoryWindow window = HistoryWindow.InFlight, PolicyDistribution? policy = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentOutOfRangeException.ThrowIfLessThan(numEnvs, 1);
        _actor = actor;
        Policy = policy ?? PolicyDistribution.For(actionSpace);
        if (actor.OutputSize != Policy.OutputSize)
        {
            throw new ArgumentException($"The actor outputs {actor.OutputSize} floats but the action space {actionSpace} needs {Policy.OutputSize}.", nameof(actor));
        }

        var historyWidth = actor.InputSize - observationSize;
        var actionWidth = actor.HistoryLength == 0 ? 1 : historyWidth / actor.HistoryLength;
        var discrete = actionSpace is DiscreteSpace;
        _history = new ActionHistory(numEnvs, actor.HistoryLength, actionWidth, discrete);
        if (_history.Width != historyWidth || (actor.HistoryLength > 0 && actionWidth != (discrete ? Policy.OutputSize : Policy.ActionSize)))
        {
            throw new ArgumentException($"The actor's input of {actor.InputSize} floats is not the observation ({observationSize}) plus {actor.HistoryLength} actions.", nameof(actor));
        }

        NumEnvs = numEnvs;
        ObservationSize = observationSize;
        Window = window;
        _inputs = new float[numEnvs * actor.InputSize];
        _criticInputs = new float[numEnvs * actor.InputSize];
        _actions = new float[numEnvs * Policy.ActionSize];
        _envActions = new float[numEnvs * Policy.ActionSize];
        _logProbs = new float[numEnvs];
    }

    /// <summary>The action distribution the actor's outputs parameterise.</summary>
    public PolicyDistribution Policy { get; }

    /// <summary>The actor.</summary>
    public IActorNetwork Actor => _actor;

    /// <summary>The number of envs.</summary>
    public int NumEnvs { get; }

    /// <summary>Floats of one env's observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Which actions the input's history carries.</summary>
    public HistoryWindow Window { get; }

    /// <summary>The inputs the last <see cref="Act"/> ticked the actor on, [envs, input].</summary>
    public ReadOnlySpan<float> Inputs => _inputs;

    /// <summary>
    /// The augmented inputs [o_t; a_(t−K) … a_(t−1)] of the last <see cref="Act"/>, [envs, input]: the observation and the K
    /// actions before the one it decided (the actor's inputs, except for a delayed actor's in-flight window, which holds
    /// a_t). What a critic may read: a baseline must not see the action whose probability it scores.
    /// </summary>
    public ReadOnlySpan<float> CriticInputs => _criticReadsInputs ? _inputs : _criticInputs;

    /// <summary>The actions of the last <see cref="Act"/> in the policy's space (discrete: the index as a float), [envs, action].</summary>
    public ReadOnlySpan<float> Actions => _actions;

    /// <summary>The actions of the last <see cref="Act"/> as the env takes them, [envs, action].</summary>
    public ReadOnlySpan<float> EnvActions => _envActions;

    /// <summary>The log-probabilities of the last <see cref="Act"/>'s sampled actions (0 when greedy or held), [envs].</summary>
    public ReadOnlySpan<float> LogProbs => _logProbs;

    /// <summary>Whether the last <see cref="Act"/> decided new actions (false while a sequential actor holds its previous ones).</summary>
    public bool Decided { get; private set; }

    /// <summary>Starts the actor on the first observations of every env, with empty histories.</summary>
    public void Begin(ReadOnlySpan<float> observations, WorkerPool? workers = null)
    {
        _history.ClearAll();
        Array.Clear(_actions);
        WriteInputs(observations, _inputs);
        _actor.Begin(_inputs, NumEnvs, workers);
    }

    /// <summary>
    /// Writes the acting state between two <see cref="Act"/> calls: the action histories, the actions in force (a
    /// sequential actor holds them between passes) and the actor's layer values, for <see cref="Resume"/>.
    /// </summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader("acting loop", StateVersion);
        _history.WriteState(writer);
        writer.WriteArray(_actions);
        _actor.WriteActingState(writer);
    }

    /// <summary>Continues acting from a state <see cref="WriteState"/> wrote, instead of <see cref="Begin"/>: the next <see cref="Act"/> is the one the writer's next would have been.</summary>
    public void Resume(BinaryReader reader, WorkerPool? workers = null)
    {
        reader.ReadHeader("acting loop", StateVersion);
        _history.ReadState(reader);
        reader.ReadArray(_actions);
        _actor.ResumeActing(reader, NumEnvs, workers);
    }

    /// <summary>Decides every env's action for the tick that observes <paramref name="observations"/>, sampled from <paramref name="random"/> or greedy.</summary>
    public void Act(ReadOnlySpan<float> observations, SeededRandom random, bool greedy = false)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (_actor.ActsBeforeInput)
        {
            Decided = _actor.DecidesNextTick;
            if (Decided)
            {
                Decide(random, greedy);
            }
            else
            {
                Array.Clear(_logProbs);
            }

            _criticReadsInputs = Window != HistoryWindow.InFlight;
            if (Window == HistoryWindow.InFlight)
            {
                WriteInputs(observations, _criticInputs);
                PushActions();
                WriteInputs(observations, _inputs);
            }
            else
            {
                WriteInputs(observations, _inputs);
                PushActions();
            }

            _actor.Tick(_inputs);
        }
        else
        {
            _criticReadsInputs = true;
            WriteInputs(observations, _inputs);
            _actor.Tick(_inputs);
            Decided = true;
            Decide(random, greedy);
            PushActions();
        }

        for (var i = 0; i < NumEnvs; i++)
        {
            Policy.ToEnv(_actions.AsSpan(i * Policy.ActionSize, Policy.ActionSize), _envActions.AsSpan(i * Policy.ActionSize, Policy.ActionSize));
        }
    }

    /// <summary>
    /// Writes env <paramref name="env"/>'s <paramref name="observation"/> followed by its action history as it stands (up to
    /// the last decided action) into <paramref name="input"/>: the <see cref="CriticInputs"/> row of the tick that observes it.
    /// </summary>
    public void WriteHistoryInput(int env, ReadOnlySpan<float> observation, Span<float> input) => _history.WriteInput(env, observation, input);

    /// <summary>Env <paramref name="env"/>'s episode has ended: its history empties and the actor applies its episode-boundary policy.</summary>
    public void EndEpisode(int env)
    {
        _history.Clear(env);
        _actor.EndEpisode(env);
    }

    private void Decide(SeededRandom random, bool greedy)
    {
        var outputs = _actor.ActingOutput;
        int outSize = _actor.OutputSize, actionSize = Policy.ActionSize;
        for (var i = 0; i < NumEnvs; i++)
        {
            var output = outputs.Slice(i * outSize, outSize);
            var action = _actions.AsSpan(i * actionSize, actionSize);
            if (greedy)
            {
                Policy.Greedy(output, action);
                _logProbs[i] = 0;
            }
            else
            {
                _logProbs[i] = Policy.Sample(output, random, action);
            }
        }
    }

    private void PushActions()
    {
        for (var i = 0; i < NumEnvs; i++)
        {
            _history.Push(i, _actions.AsSpan(i * Policy.ActionSize, Policy.ActionSize));
        }
    }

    private void WriteInputs(ReadOnlySpan<float> observations, float[] inputs)
    {
        var inputSize = _actor.InputSize;
        for (var i = 0; i < NumEnvs; i++)
        {
            _history.WriteInput(i, observations.Slice(i * ObservationSize, ObservationSize), inputs.AsSpan(i * inputSize, inputSize));
        }
    }
}
