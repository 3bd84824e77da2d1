using PipeRL.Agents.Networks;
using PipeRL.Agents.Replay;
using PipeRL.Envs;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;
using PipeRL.Tensors.Optim;

namespace PipeRL.Agents.Sac;

/// <summary>
/// Continuous SAC (CleanRL's <c>sac_continuous_action.py</c>, as the authors ran it) for pipelined actors: the actor
/// acts one tick at a time with its delay; twin undelayed critics Q(x_t, a_t) see the current (augmented) input; each
/// update samples windows from a <see cref="SequenceReplayBuffer"/> and replays the actor over them, so the action at
/// a window's last tick (and a′ one tick later) is the one the actor's pipeline would have produced.
/// </summary>
public sealed class SacTrainer : ITrainer
{
    private readonly IActorNetwork _actor;
    private readonly SacOptions _o;
    private readonly int _seed;
    private readonly SquashedGaussianPolicy _policy;
    private readonly TwinCritics _critics;
    private readonly Adam _actorAdam;
    private readonly Adam _alphaAdam;
    private readonly Parameter _logAlpha = new("log_alpha", new Shape(1));
    private readonly float _targetEntropy;
    private readonly ReplayWindows _windows;
    private readonly int[] _rows;
    private readonly SeededRandom _random;
    private readonly Tape _actorTape = new();
    private readonly Tape _criticTape = new();
    private readonly Tape _targetTape = new();

    private readonly SacActing _acting;

    // Update buffers, [batch, ·].
    private readonly Tensor _inputs;
    private readonly Tensor _nextInputs;
    private readonly Tensor _actions;
    private readonly Tensor _nextActions;
    private readonly Tensor _policyActions;
    private readonly Tensor _targets;
    private readonly float[] _noise;
    private readonly float[] _logProbs;
    private readonly float[] _nextLogProbs;
    private readonly bool[] _done;
    private readonly float[] _gradOutputs;
    private readonly ContinuousActorLoss _actorLoss;
    private readonly SacReport _report = new();
    private readonly SacCheckpoint _checkpoint;
    private long _ticks;
    private int _updates;
    private long _learnAfter;
    private SacUpdateStats _stats;
    private volatile bool _stopRequested;

    /// <summary>Trains <paramref name="actor"/> on the single env of <paramref name="env"/> (same-step autoreset) with twin critics built here.</summary>
    public SacTrainer(IVectorEnv env, IActorNetwork actor, SacOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (env.SingleActionSpace is not BoxSpace box)
        {
            throw new ArgumentException($"Continuous SAC needs a box action space, got {env.SingleActionSpace}; discrete actions train with DiscreteSacTrainer.", nameof(env));
        }

        (_actor, _o, _seed) = (actor, options, seed);
        _policy = new SquashedGaussianPolicy(box);
        var dims = _policy.Dimensions;
        if (actor.OutputSize != _policy.OutputSize)
        {
            throw new ArgumentException($"The actor outputs {actor.OutputSize} floats but {dims} action dimensions need {_policy.OutputSize} (means and log-stds).", nameof(actor));
        }

        var rng = new SeededRandom(unchecked(((ulong)seed << 32) + 0x5AC));
        _critics = new TwinCritics(env.SingleObservationSpace.Shape, actor.InputSize, dims, 1, options, rng);
        _actorAdam = new Adam(actor.Parameters, options.PolicyLearningRate, eps: options.AdamEpsilon);
        _alphaAdam = new Adam([_logAlpha], options.AlphaLearningRate, eps: options.AdamEpsilon);
        _targetEntropy = options.TargetEntropyScale * TemperatureLoss.ContinuousTargetEntropy(dims);
        Alpha = options.Autotune ? 1f : options.Alpha;

        _acting = new SacActing(env, actor, _policy, options);
        _windows = _acting.Windows;
        _rows = [.. Enumerable.Range(0, options.BatchSize)];
        _learnAfter = Math.Max(options.LearningStarts, _acting.WindowLength);
        _random = new SeededRandom(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 3));
        _checkpoint = new SacCheckpoint(actor, _actorAdam, _critics, _logAlpha, _alphaAdam, _random, _acting, _report);

        var b = options.BatchSize;
        _inputs = Tensor.Zeros(b, actor.InputSize);
        _nextInputs = Tensor.Zeros(b, actor.InputSize);
        _actions = Tensor.Zeros(b, dims);
        _nextActions = Tensor.Zeros(b, dims);
        _policyActions = Tensor.Zeros(b, dims);
        _targets = Tensor.Zeros(b, 1);
        _noise = new float[b * dims];
        _logProbs = new float[b];
        _nextLogProbs = new float[b];
        _done = new bool[b];
        _gradOutputs = new float[2 * b * actor.OutputSize];
        _actorLoss = new ContinuousActorLoss(_critics.Q1, _critics.Q2, _policy, b);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> for an actor SAC (continuous or discrete) cannot train: one without a finite receptive window or a new action every tick.</summary>
    public static void RequireSupported(IActorNetwork actor) => SacActing.RequireSupported(actor);

    /// <summary>Receives finished episodes and, every report-interval ticks, the means of the interval's updates; may be null.</summary>
    public ITrainingObserver? Observer { get; set; }

    /// <summary>Threads for the networks' matrix products, or null for the calling thread only.</summary>
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

    /// <summary>Ticks of each window the actor replays (the window, plus the next input for an instant actor).</summary>
    public int ReplayTicks => _acting.ReplayTicks;

    /// <summary>The temperature α.</summary>
    public float Alpha { get; private set; }

    /// <summary>What the latest updates reported.</summary>
    public SacUpdateStats Stats => _stats;

    /// <summary>The first critic (for tests and inspection).</summary>
    public QNetwork Q1 => _critics.Q1;

    /// <summary>The acting distribution (the greedy action is the squashed mean).</summary>
    public SquashedGaussianPolicy Policy => _policy;

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
            var outputs = ReplayActor();
            UpdateCritics(outputs);
            if (_ticks % _o.PolicyFrequency == 0)
            {
                for (var iteration = 0; iteration < _o.PolicyIterations; iteration++)
                {
                    UpdateActor(iteration == 0 ? outputs : ReplayActor(currentOnly: true));
                    if (_o.Autotune)
                    {
                        UpdateTemperature();
                    }
                }
            }
        }

        if (_ticks % _o.TargetNetworkFrequency == 0)
        {
            _critics.UpdateTargets(_o.TargetUpdateRate);
        }
    }

    /// <summary>Replays the actor over the sampled windows: rows [0, B) are the outputs at the transitions' ticks, rows [B, 2B) one tick later (a′); <paramref name="currentOnly"/> replays only what rows [0, B) need.</summary>
    private Var ReplayActor(bool currentOnly = false)
    {
        _actorTape.Reset();
        var w = _windows;
        var ticks = _acting.ReplayTicks - (currentOnly ? 1 : 0);
        return _actor.Replay(_actorTape, w.Inputs.AsSpan(0, ticks * w.Batch * w.InputSize), ticks, _rows, start: null, episodeStarts: default, fromTick: ticks - 2 + (currentOnly ? 1 : 0));
    }

    /// <summary>y = r + γ (1 − done) (min Q′(x′, a′) − α log π(a′|x′)); one Adam step on mse(Q₁, y) + mse(Q₂, y).</summary>
    private void UpdateCritics(Var actorOutputs)
    {
        var w = _windows;
        int b = w.Batch, dims = _policy.Dimensions, outSize = _actor.OutputSize;
        var outputs = actorOutputs.Value.Span;
        var nextActions = _nextActions.Span;
        for (var i = 0; i < b; i++)
        {
            var output = outputs.Slice((b + i) * outSize, outSize);
            _nextLogProbs[i] = _policy.Sample(output, _random, nextActions.Slice(i * dims, dims));
            _done[i] = w.Terminated[i] || (w.Truncated[i] && _o.Truncation == TruncationHandling.Terminal);
        }

        w.Tick(w.Length - 1).CopyTo(_inputs.Span);
        w.Tick(w.Length).CopyTo(_nextInputs.Span);
        w.Actions.CopyTo(_actions.Span);
        _targetTape.Reset();
        var nextQ1 = _critics.Q1Target.Forward(_targetTape, _targetTape.Input(_nextInputs), _targetTape.Input(_nextActions)).Value.Span;
        var nextQ2 = _critics.Q2Target.Forward(_targetTape, _targetTape.Input(_nextInputs), _targetTape.Input(_nextActions)).Value.Span;
        SoftQTarget.Continuous(w.Rewards, _done, nextQ1, nextQ2, _nextLogProbs, Alpha, _o.Gamma, _targets.Span);

        _criticTape.Reset();
        var t = _criticTape;
        var q1 = _critics.Q1.Forward(t, t.Input(_inputs), t.Input(_actions));
        var q2 = _critics.Q2.Forward(t, t.Input(_inputs), t.Input(_actions));
        var loss = t.MseLoss(q1, t.Input(_targets)) + t.MseLoss(q2, t.Input(_targets));
        _critics.Adam.ZeroGrad();
        t.Backward(loss);
        _critics.Adam.Step();
        _stats = _stats with { QLoss = loss.Value.Span[0], QValue = Mean(q1.Value.Span) };
        _report.Critic(_stats.QLoss, _stats.QValue);
    }

    /// <summary>One Adam step on mean(α log π(a|x) − min Q(x, a)) with a = tanh(μ + σ ε) reparameterised, through the critics into the replayed actor.</summary>
    private void UpdateActor(Var actorOutputs)
    {
        var rows = _windows.Batch * _actor.OutputSize;
        _random.FillGaussian(_noise, 0, 1);
        Array.Clear(_gradOutputs);
        var loss = _actorLoss.Compute(_criticTape, _inputs, actorOutputs.Value.Span[..rows], _noise, Alpha, _gradOutputs.AsSpan(0, rows));
        _actorAdam.ZeroGrad();
        _actorTape.Backward(actorOutputs, _gradOutputs.AsSpan(0, actorOutputs.Value.Length));
        _actorAdam.Step();
        var entropy = 0.0;
        foreach (var logProb in _actorLoss.LogProbs)
        {
            entropy -= logProb;
        }

        _stats = _stats with { ActorLoss = loss, Entropy = entropy / _windows.Batch };
        _report.Actor(_stats.ActorLoss, _stats.Entropy);
    }

    /// <summary>One Adam step on −α · mean(log π(a|x) + H̄), with fresh samples from the updated actor.</summary>
    private void UpdateTemperature()
    {
        int b = _windows.Batch, dims = _policy.Dimensions, outSize = _actor.OutputSize;
        var outputs = ReplayActor(currentOnly: true).Value.Span;
        var actions = _policyActions.Span;
        for (var i = 0; i < b; i++)
        {
            _logProbs[i] = _policy.Sample(outputs.Slice(i * outSize, outSize), _random, actions.Slice(i * dims, dims));
        }

        var loss = TemperatureLoss.Continuous(_logAlpha.Value.Span[0], _logProbs, _targetEntropy);
        _alphaAdam.ZeroGrad();
        _logAlpha.Grad.Span[0] = loss;
        _alphaAdam.Step();
        Alpha = MathF.Exp(_logAlpha.Value.Span[0]);
        _stats = _stats with { Alpha = Alpha, AlphaLoss = loss };
        _report.Temperature(loss);
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
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
