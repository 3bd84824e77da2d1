namespace PipeRL.Experiments.Training;

/// <summary>A run's training episodes (env steps at the episode's end, return) and its evaluations during training.</summary>
public sealed record RunCurves(IReadOnlyList<(long EnvSteps, double Return)> Episodes, IReadOnlyList<EvaluationPoint> Evaluations);
