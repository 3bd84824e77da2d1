namespace PipeRL.Experiments.Runs;

/// <summary>What one training update reports.</summary>
/// <param name="LearningRate">The learning rate used by the update.</param>
/// <param name="PolicyLoss">Mean clipped-surrogate loss.</param>
/// <param name="ValueLoss">Mean value loss.</param>
/// <param name="Entropy">Mean policy entropy.</param>
/// <param name="ApproxKl">Mean approximate KL between the rollout policy and the updated one.</param>
/// <param name="ClipFraction">Fraction of samples whose ratio left the clip range.</param>
/// <param name="ExplainedVariance">How much of the returns' variance the critic explained.</param>
/// <param name="StepsPerSecond">Environment steps per second over the run so far.</param>
public readonly record struct UpdateMetrics(
    double LearningRate,
    double PolicyLoss,
    double ValueLoss,
    double Entropy,
    double ApproxKl,
    double ClipFraction,
    double ExplainedVariance,
    double StepsPerSecond);
