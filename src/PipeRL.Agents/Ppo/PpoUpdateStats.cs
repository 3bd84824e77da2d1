namespace PipeRL.Agents.Ppo;

/// <summary>What one PPO update reports, averaged over its gradient steps.</summary>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="PolicyLoss">Mean clipped-surrogate loss.</param>
/// <param name="ValueLoss">Mean value loss.</param>
/// <param name="Entropy">Mean policy entropy.</param>
/// <param name="ApproxKl">Mean approximate KL from the rollout policy.</param>
/// <param name="ClipFraction">Fraction of samples whose ratio left the clip range.</param>
/// <param name="ExplainedVariance">How much of the returns' variance the rollout values explained.</param>
/// <param name="GradientSteps">Optimizer steps taken.</param>
/// <param name="ReplayError">
/// The largest |log π_replay(a) − log π_rollout(a)| over the first gradient step's samples, before any weight moved:
/// how far the replay is from the rollout (float rounding when exact).
/// </param>
public readonly record struct PpoUpdateStats(
    double LearningRate,
    double PolicyLoss,
    double ValueLoss,
    double Entropy,
    double ApproxKl,
    double ClipFraction,
    double ExplainedVariance,
    int GradientSteps,
    double ReplayError = 0)
{
    /// <summary>The names of the scalars <see cref="ToUpdateStats"/> reports, in order (the metrics' columns of a PPO run).</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["learning_rate", "policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction", "explained_variance", "replay_error", "gradient_steps"];

    /// <summary>These values as named scalars.</summary>
    public UpdateStats ToUpdateStats() =>
        new(Names, [LearningRate, PolicyLoss, ValueLoss, Entropy, ApproxKl, ClipFraction, ExplainedVariance, ReplayError, GradientSteps]);
}
