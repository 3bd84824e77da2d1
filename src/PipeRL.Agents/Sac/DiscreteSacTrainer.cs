using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Replay;
using PipeRL.Envs;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;
using PipeRL.Tensors.Optim;

namespace PipeRL.Agents.Sac;

/// <summary>
/// Discrete SAC (CleanRL's <c>sac_atari.py</c>, as the workshop version ran it on MinAtar) for pipelined actors: twin
/// undelayed Q networks give one value per action, and the targets, actor loss and temperature loss are expectations
/// over the categorical policy rather than samples. Windows are replayed through the actor as in <see cref="SacTrainer"/>.
/// </summary>
/// <remarks>
/// CleanRL averages the actor and temperature losses over batch × actions; here they are sums over actions averaged
/// over the batch, the expectation itself (a constant factor of |A| that Adam all but cancels).
/// </remarks>
public sealed class DiscreteSacTrainer : ITrainer
{
    private readonly IActorNetwork _actor;
    private readonly SacOptions _o;
    private readonly int _seed;
    private readonly int _actions;
    private readonly CategoricalPolicy _policy;
    private readonly TwinCritics _critics;
    private readonly Adam _actorAdam;
    private readonly Adam _alphaAdam;
    private readonly Parameter _logAlpha = new("log_alpha", new Shape(1));
    private readonly float _targetEntropy;
    private readonly ReplayWindows _windows;
    private readonly int[] _rows;
    private readonly SacActing _acting;
    private readonly SeededRandom _random;
    private readonly Tape _actorTape = new();
    private readonly Tape _criticTape = new();
    private readonly Tape _targetTape = new();
    private readonly Tensor _inputs;
    private readonly Tensor _nextInputs;
    private readonly Tensor _targets;
    private readonly int[] _taken;
    private readonly bool[] _done;
    private readonly float[] _gradLogits;
    private readonly SacReport _report = new();
    private readonly SacCheckpoint _checkpoint;
    private long _ticks;
    private int _updates;
    private long _learnAfter;
    private SacUpdateStats _stats;
    private volatile bool _stopRequested;

    /// <summary>Trains <paramref name="actor"/> (categorical logits) on the single env of <paramref name="env"/> (same-step autoreset) with twin Q networks built here.</summary>
    public DiscreteSacTrainer(IVectorEnv env, IActorNetwork actor, SacOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (env.SingleActionSpace is not DiscreteSpace space)
        {
            throw new ArgumentException($"Discrete SAC needs a discrete action space, got {env.SingleActionSpace}; boxes train with SacTrainer.", nameof(env));
        }

        (_actor, _o, _seed, _actions) = (actor, options, seed, space.N);
        _policy = new CategoricalPolicy(space.N);
        if (actor.OutputSize != space.N)
        {
            throw new ArgumentException($"The actor outputs {actor.OutputSize} floats but {space.N} actions need as many logits.", nameof(actor));
        }

        var rng = new SeededRandom(unchecked(((ulong)seed << 32) + 0xD5AC));
        _critics = new TwinCritics(env.SingleObservationSpace.Shape, actor.InputSize, 0, space.N, options, rng);
        _actorAdam = new Adam(actor.Parameters, options.PolicyLearningRate, eps: options.AdamEpsilon);
        _alphaAdam = new Adam([_logAlpha], options.AlphaLearningRate, eps: options.AdamEpsilon);
        _targetEntropy = TemperatureLoss.DiscreteTargetEntropy(space.N, options.TargetEntropyScale);
        Alpha = options.Autotune ? 1f : options.Alpha;

        _acting = new SacActing(env, actor, _policy, options);
        _windows = _acting.Windows;
        _rows = [.. Enumerable.Range(0, options.BatchSize)];
        _learnAfter = Math.Max(options.LearningStarts, _acting.WindowLength);
        _random = new SeededRandom(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 4));
        _checkpoint = new SacCheckpoint(actor, _actorAdam, _critics, _logAlpha, _alphaAdam, _random, _acting, _report);
        var b = options.BatchSize;
        _inputs = Tensor.Zeros(b, actor.InputSize);
        _nextInputs = Tensor.Zeros(b, actor.InputSize);
        _targets = Tensor.Zeros(b, 1);
        _taken = new int[b];
        _done = new bool[b];
        _gradLogits = new float[2 * b * space.N];
    }

    /// <summary>Receives finished episodes and, every report-interval ticks, the means of the interval's updates; may be null.</summary>
    public ITrainingObserver? Observer { get; set; }

    /// <summary>Threads for the networks' matrix products and convolutions, or null for the calling thread only.</summary>
    public WorkerPool? Workers
    {
        get => _criticTape.Workers;
        set => (_actorTape.Workers, _criticTape.Workers, _targetTape.Workers) = (value, value, value);
    }

    /// <summary>Ticks taken so far.</summary>
    public long Ticks => _ticks;

    /// <summary>Report intervals completed so far.</summary>
    public int Updates => _updates;

    /// <inheritdoc/>
    public IReadOnlyList<string> StatNames => SacReport.Names;

    /// <summary>L, the ticks of a stored window: the actor's receptive window, the transition's tick, a delayed actor's one tick of lag and the warm-up.</summary>
    public int WindowLength => _acting.WindowLength;

    /// <summary>The temperature α.</summary>
    public float Alpha { get; private set; }

    /// <summary>What the latest updates reported.</summary>
    public SacUpdateStats Stats => _stats;

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
            _acting.Step(_random, warmUp: _ticks < _o.LearningStarts, _ticks + 1, Observer);
            _ticks++;

            if (_ticks > _learnAfter)
            {
                Learn();
            }

            if (_ticks % _o.ReportInterval == 0)
            {
                _updates = (int)(_ticks / _o.ReportInterval);
                Observer?.OnUpdate(_ticks, _report.Take(Alpha));
            }
        }

        _stopRequested = false;
    }

    /// <summary>One tick's learning: the critics every update-frequency ticks, the actor and α every policy-frequency ticks, the targets every target-network-frequency ticks.</summary>
    private void Learn()
    {
        if (_ticks % _o.UpdateFrequency == 0)
        {
            _acting.Sample(_random);
            var logits = ReplayActor();
            UpdateCritics(logits);
            if (_ticks % _o.PolicyFrequency == 0)
            {
                for (var iteration = 0; iteration < _o.PolicyIterations; iteration++)
                {
                    UpdateActorAndTemperature(iteration == 0 ? logits : ReplayActor(currentOnly: true));
                }
            }
        }

        if (_ticks % _o.TargetNetworkFrequency == 0)
        {
            _critics.UpdateTargets(_o.TargetUpdateRate);
        }
    }

    /// <summary>Replays the actor over the sampled windows: rows [0, B) are the logits at the transitions' ticks, rows [B, 2B) one tick later; <paramref name="currentOnly"/> replays only what rows [0, B) need.</summary>
    private Var ReplayActor(bool currentOnly = false)
    {
        _actorTape.Reset();
        var w = _windows;
        var ticks = _acting.ReplayTicks - (currentOnly ? 1 : 0);
        return _actor.Replay(_actorTape, w.Inputs.AsSpan(0, ticks * w.Batch * w.InputSize), ticks, _rows, start: null, episodeStarts: default, fromTick: ticks - 2 + (currentOnly ? 1 : 0));
    }

    /// <summary>y = r + γ (1 − done) Σ_a π(a|x′) (min Q′(x′, a) − α log π(a|x′)); one Adam step on mse(Q₁(x, a), y) + mse(Q₂(x, a), y).</summary>
    private void UpdateCritics(Var logits)
    {
        var w = _windows;
        var b = w.Batch;
        for (var i = 0; i < b; i++)
        {
            _taken[i] = (int)w.Actions[i];
            _done[i] = w.Terminated[i] || (w.Truncated[i] && _o.Truncation == TruncationHandling.Terminal);
        }

        w.Tick(w.Length - 1).CopyTo(_inputs.Span);
        w.Tick(w.Length).CopyTo(_nextInputs.Span);
        _targetTape.Reset();
        var nextQ1 = _critics.Q1Target.Forward(_targetTape, _targetTape.Input(_nextInputs)).Value.Span;
        var nextQ2 = _critics.Q2Target.Forward(_targetTape, _targetTape.Input(_nextInputs)).Value.Span;
        SoftQTarget.Discrete(w.Rewards, _done, logits.Value.Span.Slice(b * _actions, b * _actions), nextQ1, nextQ2, _actions, Alpha, _o.Gamma, _targets.Span);

        _criticTape.Reset();
        var t = _criticTape;
        var q1 = t.Gather(_critics.Q1.Forward(t, t.Input(_inputs)), _taken);
        var q2 = t.Gather(_critics.Q2.Forward(t, t.Input(_inputs)), _taken);
        var loss = t.MseLoss(q1, t.Input(_targets)) + t.MseLoss(q2, t.Input(_targets));
        _critics.Adam.ZeroGrad();
        t.Backward(loss);
        _critics.Adam.Step();
        var sum = 0.0;
        foreach (var q in q1.Value.Span)
        {
            sum += q;
        }

        _stats = _stats with { QLoss = loss.Value.Span[0], QValue = sum / b };
        _report.Critic(_stats.QLoss, _stats.QValue);
    }

    /// <summary>One Adam step on the expected actor loss Σ_a π(a|x)(α log π(a|x) − min Q(x, a)), then (when tuned) one on the temperature loss from the same policy.</summary>
    private void UpdateActorAndTemperature(Var logits)
    {
        var b = _windows.Batch;
        var n = b * _actions;
        var current = logits.Value.Span[..n];
        _targetTape.Reset();
        var q1 = _critics.Q1.Forward(_targetTape, _targetTape.Input(_inputs)).Value.Span;
        var q2 = _critics.Q2.Forward(_targetTape, _targetTape.Input(_inputs)).Value.Span;
        Array.Clear(_gradLogits);
        var loss = DiscreteSacLoss.Actor(current, q1, q2, _actions, Alpha, _gradLogits.AsSpan(0, n));
        var entropy = 0.0;
        Span<float> logProbs = stackalloc float[_actions];
        for (var i = 0; i < b; i++)
        {
            Categorical.LogSoftmax(current.Slice(i * _actions, _actions), logProbs);
            entropy += Categorical.Entropy(logProbs);
        }

        // The temperature loss uses the policy before this actor step, as CleanRL's.
        var alphaLoss = _o.Autotune ? TemperatureLoss.Discrete(_logAlpha.Value.Span[0], current, _actions, _targetEntropy) : 0f;
        _actorAdam.ZeroGrad();
        _actorTape.Backward(logits, _gradLogits.AsSpan(0, logits.Value.Length));
        _actorAdam.Step();
        if (_o.Autotune)
        {
            _alphaAdam.ZeroGrad();
            _logAlpha.Grad.Span[0] = alphaLoss;
            _alphaAdam.Step();
            Alpha = MathF.Exp(_logAlpha.Value.Span[0]);
        }

        _stats = _stats with { ActorLoss = loss, Alpha = Alpha, AlphaLoss = alphaLoss, Entropy = entropy / b };
        _report.Actor(_stats.ActorLoss, _stats.Entropy);
        if (_o.Autotune)
        {
            _report.Temperature(alphaLoss);
        }
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

    /// <summary>The sequence replay (for tests).</summary>
    internal SequenceReplayBuffer Replay => _acting.Replay;

    /// <summary>
    /// Restores what <see cref="SaveState"/> wrote, so the next <see cref="Train"/> continues exactly as the saving
    /// trainer would have (set <see cref="Workers"/> first); returns what the resume restored.
    /// </summary>
    public string LoadState(Checkpoint checkpoint)
    {
        (_ticks, _updates, _learnAfter, var note) = _checkpoint.Load(checkpoint, Workers, Math.Max(_o.LearningStarts, _acting.WindowLength));
        Alpha = _o.Autotune ? MathF.Exp(_logAlpha.Value.Span[0]) : _o.Alpha;
        return note;
    }

    /// <summary>Adds the actor (under <see cref="ITrainer.ActorPrefix"/>) and the two critics.</summary>
    public void AddParameters(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.AddParameters(_actor.Parameters, ITrainer.ActorPrefix);
        _critics.AddParameters(checkpoint);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _actorTape.Dispose();
        _criticTape.Dispose();
        _targetTape.Dispose();
        _checkpoint.Dispose();
    }
}
