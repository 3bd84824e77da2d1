namespace PipeRL.Experiments.Reports;

/// <summary>A point estimate with the bounds of its confidence interval.</summary>
/// <param name="Estimate">The statistic on the sample itself.</param>
/// <param name="Low">The interval's lower bound.</param>
/// <param name="High">The interval's upper bound.</param>
public readonly record struct Interval(double Estimate, double Low, double High);
