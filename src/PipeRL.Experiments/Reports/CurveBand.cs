namespace PipeRL.Experiments.Reports;

/// <summary>A learning curve over seeds: at each env-step point, the mean over seeds with its bootstrap interval.</summary>
/// <param name="EnvSteps">The x values, env steps.</param>
/// <param name="Mean">The mean over seeds at each point.</param>
/// <param name="Low">The interval's lower bound at each point.</param>
/// <param name="High">The interval's upper bound at each point.</param>
/// <param name="Seeds">How many seeds the curve averages.</param>
public sealed record CurveBand(double[] EnvSteps, double[] Mean, double[] Low, double[] High, int Seeds);
