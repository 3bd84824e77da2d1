using PipeRL.Tensors;

namespace PipeRL.Experiments.Reports;

/// <summary>
/// Learning curves from episode returns: each seed's curve is the mean return of the episodes that ended in a trailing
/// window before each of evenly spaced env-step points (the last value carried over an empty window), and the band over
/// seeds is their mean with a 95% bootstrap interval.
/// </summary>
public static class LearningCurve
{
    /// <summary>Points per curve.</summary>
    public const int Points = 50;

    /// <summary>
    /// The band over <paramref name="seeds"/> (each a list of (env steps at the episode's end, return), in order) on points
    /// up to the shortest seed's last episode; a window spans <paramref name="windowPoints"/> point spacings.
    /// </summary>
    public static CurveBand Band(IReadOnlyList<IReadOnlyList<(long EnvSteps, double Return)>> seeds, SeededRandom random, int windowPoints = 2)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var usable = seeds.Where(s => s.Count > 0).ToList();
        if (usable.Count == 0)
        {
            return new CurveBand([], [], [], [], 0);
        }

        var end = usable.Min(s => s[^1].EnvSteps);
        var start = usable.Max(s => s[0].EnvSteps);
        var xs = new List<double>();
        var perSeed = usable.Select(_ => new List<double>()).ToList();
        var spacing = Math.Max(1.0, end / (double)Points);
        for (var p = 1; p <= Points; p++)
        {
            var x = spacing * p;
            if (x < start)
            {
                continue;
            }

            xs.Add(x);
            for (var s = 0; s < usable.Count; s++)
            {
                perSeed[s].Add(WindowMean(usable[s], x - (windowPoints * spacing), x));
            }
        }

        var mean = new double[xs.Count];
        var low = new double[xs.Count];
        var high = new double[xs.Count];
        for (var i = 0; i < xs.Count; i++)
        {
            var interval = Bootstrap.Mean([.. perSeed.Select(s => s[i])], random, resamples: 500);
            (mean[i], low[i], high[i]) = (interval.Estimate, interval.Low, interval.High);
        }

        return new CurveBand([.. xs], mean, low, high, usable.Count);
    }

    // The mean return of the episodes ending in (from, to]; the last episode's return before it when none does.
    private static double WindowMean(IReadOnlyList<(long EnvSteps, double Return)> episodes, double from, double to)
    {
        double sum = 0;
        var count = 0;
        var last = episodes[0].Return;
        foreach (var (steps, ret) in episodes)
        {
            if (steps > to)
            {
                break;
            }

            last = ret;
            if (steps > from)
            {
                sum += ret;
                count++;
            }
        }

        return count > 0 ? sum / count : last;
    }
}
