using PipeRL.Tensors;

namespace PipeRL.Experiments.Reports;

/// <summary>
/// Percentile bootstrap intervals (95% by default) for means over seeds, and the interquartile mean with a stratified
/// bootstrap over tasks as in rliable (Agarwal et al., 2021): resample each task's runs with replacement, pool them,
/// take the IQM. Every draw comes from the seeded source passed in.
/// </summary>
public static class Bootstrap
{
    /// <summary>Resamples drawn by default.</summary>
    public const int DefaultResamples = 2000;

    /// <summary>The mean of <paramref name="values"/> with its percentile bootstrap interval.</summary>
    public static Interval Mean(IReadOnlyList<double> values, SeededRandom random, int resamples = DefaultResamples, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var estimate = values.Average();
        var stats = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < values.Count; i++)
            {
                sum += values[random.NextInt(values.Count)];
            }

            stats[b] = sum / values.Count;
        }

        return Percentiles(estimate, stats, level);
    }

    /// <summary>
    /// The interquartile mean: the mean of the sorted values after dropping ⌊n/4⌋ from each end (scipy's
    /// <c>trim_mean(x, 0.25)</c>, rliable's IQM).
    /// </summary>
    public static double Iqm(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Length);
        var cut = sorted.Length / 4;
        return sorted.AsSpan(cut, sorted.Length - (2 * cut)).ToArray().Average();
    }

    /// <summary>The IQM over all runs of all tasks, with a stratified bootstrap interval (each task's runs resampled on their own).</summary>
    public static Interval StratifiedIqm(IReadOnlyList<IReadOnlyList<double>> runsPerTask, SeededRandom random, int resamples = DefaultResamples, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(runsPerTask);
        ArgumentNullException.ThrowIfNull(random);
        if (runsPerTask.Count == 0 || runsPerTask.Any(t => t.Count == 0))
        {
            throw new ArgumentException("Every task needs at least one run.", nameof(runsPerTask));
        }

        var estimate = Iqm(runsPerTask.SelectMany(t => t));
        var pooled = new double[runsPerTask.Sum(t => t.Count)];
        var stats = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var n = 0;
            foreach (var task in runsPerTask)
            {
                for (var i = 0; i < task.Count; i++)
                {
                    pooled[n++] = task[random.NextInt(task.Count)];
                }
            }

            stats[b] = Iqm(pooled);
        }

        return Percentiles(estimate, stats, level);
    }

    private static Interval Percentiles(double estimate, double[] stats, double level)
    {
        Array.Sort(stats);
        var alpha = (1 - level) / 2;
        return new Interval(estimate, Quantile(stats, alpha), Quantile(stats, 1 - alpha));
    }

    // Linear interpolation between order statistics (numpy's default percentile).
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
