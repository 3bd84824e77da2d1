namespace PipeRL.Experiments.Training;

/// <summary>An evaluation during training: at tick <paramref name="Tick"/> (<paramref name="EnvSteps"/> env steps), the sampled and greedy mean returns.</summary>
public readonly record struct EvaluationPoint(long Tick, long EnvSteps, double Sampled, double Greedy);
