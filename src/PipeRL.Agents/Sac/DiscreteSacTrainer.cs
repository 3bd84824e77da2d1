using PipeRL.Agents.Acting;
using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Envs;
using PipeRL.Tensors;

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
public sealed class DiscreteSacTrainer : SacTrainerBase
{
    private readonly int _actions;
    private readonly float _targetEntropy;
    private readonly int[] _taken;
    private readonly float[] _gradLogits;

    /// <summary>Trains <paramref name="actor"/> (categorical logits) on the single env of <paramref name="env"/> (same-step autoreset) with twin Q networks built here, acting with the history <paramref name="window"/>.</summary>
    public DiscreteSacTrainer(IVectorEnv env, IActorNetwork actor, SacOptions options, int seed, HistoryWindow window = HistoryWindow.InFlight)
        : this(env, actor, options, seed, window, CheckedPolicy(env, actor, options))
    {
    }

    private DiscreteSacTrainer(IVectorEnv env, IActorNetwork actor, SacOptions options, int seed, HistoryWindow window, CategoricalPolicy policy)
        : base(env, actor, policy, options, window, seed, unchecked(((ulong)seed << 32) + 0xD5AC), 0, policy.Actions, unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 4))
    {
        _actions = policy.Actions;
        _targetEntropy = TemperatureLoss.DiscreteTargetEntropy(_actions, options.TargetEntropyScale);
        _taken = new int[options.BatchSize];
        _gradLogits = new float[2 * options.BatchSize * _actions];
    }

    /// <summary>The categorical policy over the env's actions, once the arguments are checked.</summary>
    private static CategoricalPolicy CheckedPolicy(IVectorEnv env, IActorNetwork actor, SacOptions options)
    {
        Check(env, actor, options);
        if (env.SingleActionSpace is not DiscreteSpace space)
        {
            throw new ArgumentException($"Discrete SAC needs a discrete action space, got {env.SingleActionSpace}; boxes train with SacTrainer.", nameof(env));
        }

        if (actor.OutputSize != space.N)
        {
            throw new ArgumentException($"The actor outputs {actor.OutputSize} floats but {space.N} actions need as many logits.", nameof(actor));
        }

        return new CategoricalPolicy(space.N);
    }

    /// <summary>y = r + γ (1 − done) Σ_a π(a|x′) (min Q′(x′, a) − α log π(a|x′)); one Adam step on mse(Q₁(x, a), y) + mse(Q₂(x, a), y).</summary>
    private protected override void UpdateCritics(Var actorOutputs)
    {
        var w = Windows;
        var b = w.Batch;
        for (var i = 0; i < b; i++)
        {
            _taken[i] = (int)w.Actions[i];
        }

        var target = TargetTape;
        target.Reset();
        var nextQ1 = Critics.Q1Target.Forward(target, target.Input(NextInputs)).Value.Span;
        var nextQ2 = Critics.Q2Target.Forward(target, target.Input(NextInputs)).Value.Span;
        var nextLogits = actorOutputs.Value.Span.Slice(b * _actions, b * _actions);
        SoftQTarget.Discrete(w.Rewards, Done, nextLogits, nextQ1, nextQ2, _actions, Alpha, Options.Gamma, Targets.Span);

        var t = CriticTape;
        t.Reset();
        var q1 = t.Gather(Critics.Q1.Forward(t, t.Input(Inputs)), _taken);
        var q2 = t.Gather(Critics.Q2.Forward(t, t.Input(Inputs)), _taken);
        StepCritics(q1, q2);
    }

    /// <summary>One Adam step on the expected actor loss Σ_a π(a|x)(α log π(a|x) − min Q(x, a)), then (when tuned) one on the temperature loss from the same policy.</summary>
    private protected override void UpdatePolicy(Var actorOutputs)
    {
        var b = Windows.Batch;
        var n = b * _actions;
        var current = actorOutputs.Value.Span[..n];
        var target = TargetTape;
        target.Reset();
        var q1 = Critics.Q1.Forward(target, target.Input(Inputs)).Value.Span;
        var q2 = Critics.Q2.Forward(target, target.Input(Inputs)).Value.Span;
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
        var alphaLoss = Options.Autotune ? TemperatureLoss.Discrete(LogAlpha.Value.Span[0], current, _actions, _targetEntropy) : 0f;
        StepActor(actorOutputs, _gradLogits);
        if (Options.Autotune)
        {
            StepTemperature(alphaLoss);
        }

        Stats = Stats with { ActorLoss = loss, Alpha = Alpha, AlphaLoss = alphaLoss, Entropy = entropy / b };
        Report.Actor(Stats.ActorLoss, Stats.Entropy);
        if (Options.Autotune)
        {
            Report.Temperature(alphaLoss);
        }
    }
}
