using PipeRL.Agents.Acting;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Replay;
using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Sac;

/// <summary>
/// Continuous SAC (CleanRL's <c>sac_continuous_action.py</c>, as the authors ran it) for pipelined actors: the actor
/// acts one tick at a time with its delay; twin undelayed critics Q(c_t, a_t) see the observation and the actions before
/// a_t, c_t = [o_t; a_(t−K) … a_(t−1)]; each
/// update samples windows from a <see cref="SequenceReplayBuffer"/> and replays the actor over them, so the action at
/// a window's last tick (and a′ one tick later) is the one the actor's pipeline would have produced.
/// </summary>
public sealed class SacTrainer : SacTrainerBase
{
    private readonly SquashedGaussianPolicy _policy;
    private readonly float _targetEntropy;
    private readonly Tensor _actions;
    private readonly Tensor _nextActions;
    private readonly Tensor _policyActions;
    private readonly float[] _noise;
    private readonly float[] _logProbs;
    private readonly float[] _nextLogProbs;
    private readonly float[] _gradOutputs;
    private readonly ContinuousActorLoss _actorLoss;

    /// <summary>Trains <paramref name="actor"/> on the single env of <paramref name="env"/> (same-step autoreset) with twin critics built here, acting with the history <paramref name="window"/>.</summary>
    public SacTrainer(IVectorEnv env, IActorNetwork actor, SacOptions options, int seed, HistoryWindow window = HistoryWindow.InFlight)
        : this(env, actor, options, seed, window, CheckedPolicy(env, actor, options))
    {
    }

    private SacTrainer(IVectorEnv env, IActorNetwork actor, SacOptions options, int seed, HistoryWindow window, SquashedGaussianPolicy policy)
        : base(env, actor, policy, options, window, seed, unchecked(((ulong)seed << 32) + 0x5AC), policy.Dimensions, 1, unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 3))
    {
        _policy = policy;
        var (b, dims) = (options.BatchSize, policy.Dimensions);
        _targetEntropy = options.TargetEntropyScale * TemperatureLoss.ContinuousTargetEntropy(dims);
        _actions = Tensor.Zeros(b, dims);
        _nextActions = Tensor.Zeros(b, dims);
        _policyActions = Tensor.Zeros(b, dims);
        _noise = new float[b * dims];
        _logProbs = new float[b];
        _nextLogProbs = new float[b];
        _gradOutputs = new float[2 * b * actor.OutputSize];
        _actorLoss = new ContinuousActorLoss(Critics.Q1, Critics.Q2, policy, b);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> for an actor SAC (continuous or discrete) cannot train: one without a finite receptive window or a new action every tick.</summary>
    public static void RequireSupported(IActorNetwork actor) => SacActing.RequireSupported(actor);

    /// <summary>The acting distribution (the greedy action is the squashed mean).</summary>
    public SquashedGaussianPolicy Policy => _policy;

    /// <summary>The squashed Gaussian over the env's box of actions, once the arguments are checked.</summary>
    private static SquashedGaussianPolicy CheckedPolicy(IVectorEnv env, IActorNetwork actor, SacOptions options)
    {
        Check(env, actor, options);
        if (env.SingleActionSpace is not BoxSpace box)
        {
            throw new ArgumentException($"Continuous SAC needs a box action space, got {env.SingleActionSpace}; discrete actions train with DiscreteSacTrainer.", nameof(env));
        }

        var policy = new SquashedGaussianPolicy(box);
        if (actor.OutputSize != policy.OutputSize)
        {
            throw new ArgumentException($"The actor outputs {actor.OutputSize} floats but {policy.Dimensions} action dimensions need {policy.OutputSize} (means and log-stds).", nameof(actor));
        }

        return policy;
    }

    /// <summary>y = r + γ (1 − done) (min Q′(x′, a′) − α log π(a′|x′)); one Adam step on mse(Q₁, y) + mse(Q₂, y).</summary>
    private protected override void UpdateCritics(Var actorOutputs)
    {
        var w = Windows;
        int b = w.Batch, dims = _policy.Dimensions, outSize = Actor.OutputSize;
        var outputs = actorOutputs.Value.Span;
        var nextActions = _nextActions.Span;
        for (var i = 0; i < b; i++)
        {
            var output = outputs.Slice((b + i) * outSize, outSize);
            _nextLogProbs[i] = _policy.Sample(output, Random, nextActions.Slice(i * dims, dims));
        }

        w.Actions.CopyTo(_actions.Span);
        var target = TargetTape;
        target.Reset();
        var nextQ1 = Critics.Q1Target.Forward(target, target.Input(NextInputs), target.Input(_nextActions)).Value.Span;
        var nextQ2 = Critics.Q2Target.Forward(target, target.Input(NextInputs), target.Input(_nextActions)).Value.Span;
        SoftQTarget.Continuous(w.Rewards, Done, nextQ1, nextQ2, _nextLogProbs, Alpha, Options.Gamma, Targets.Span);

        var t = CriticTape;
        t.Reset();
        var q1 = Critics.Q1.Forward(t, t.Input(Inputs), t.Input(_actions));
        var q2 = Critics.Q2.Forward(t, t.Input(Inputs), t.Input(_actions));
        StepCritics(q1, q2);
    }

    /// <summary>One actor step, then (when tuned) one temperature step with fresh samples from the updated actor.</summary>
    private protected override void UpdatePolicy(Var actorOutputs)
    {
        UpdateActor(actorOutputs);
        if (Options.Autotune)
        {
            UpdateTemperature();
        }
    }

    /// <summary>One Adam step on mean(α log π(a|x) − min Q(x, a)) with a = tanh(μ + σ ε) reparameterised, through the critics into the replayed actor.</summary>
    private void UpdateActor(Var actorOutputs)
    {
        var rows = Windows.Batch * Actor.OutputSize;
        Random.FillGaussian(_noise, 0, 1);
        Array.Clear(_gradOutputs);
        var loss = _actorLoss.Compute(CriticTape, Inputs, actorOutputs.Value.Span[..rows], _noise, Alpha, _gradOutputs.AsSpan(0, rows));
        StepActor(actorOutputs, _gradOutputs);
        var entropy = 0.0;
        foreach (var logProb in _actorLoss.LogProbs)
        {
            entropy -= logProb;
        }

        Stats = Stats with { ActorLoss = loss, Entropy = entropy / Windows.Batch };
        Report.Actor(Stats.ActorLoss, Stats.Entropy);
    }

    /// <summary>One Adam step on −α · mean(log π(a|x) + H̄), with fresh samples from the updated actor.</summary>
    private void UpdateTemperature()
    {
        int b = Windows.Batch, dims = _policy.Dimensions, outSize = Actor.OutputSize;
        var outputs = ReplayActor(currentOnly: true).Value.Span;
        var actions = _policyActions.Span;
        for (var i = 0; i < b; i++)
        {
            _logProbs[i] = _policy.Sample(outputs.Slice(i * outSize, outSize), Random, actions.Slice(i * dims, dims));
        }

        var loss = TemperatureLoss.Continuous(LogAlpha.Value.Span[0], _logProbs, _targetEntropy);
        StepTemperature(loss);
        Stats = Stats with { Alpha = Alpha, AlphaLoss = loss };
        Report.Temperature(loss);
    }
}
