using System.Globalization;
using System.Text;
using PipeRL.Experiments.Training;

namespace PipeRL.Experiments.Demo;

/// <summary>The demo's outcome: each architecture's evaluation return normalised by the undelayed <c>instant</c> agent's.</summary>
public static class DemoReport
{
    /// <summary>The table, Markdown, one row per run; the first run named <c>instant</c> is the baseline.</summary>
    public static string Table(IReadOnlyList<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var c = CultureInfo.InvariantCulture;
        var baseline = runs.FirstOrDefault(r => r.Arch == "instant");
        var sb = new StringBuilder();
        sb.AppendLine("| actor | delay (ticks) | sampled return | greedy return | normalised (sampled) | normalised (greedy) | train time | env steps/s |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            sb.AppendLine(c, $"| {r.Arch} | {r.DelayTicks} | {r.Sampled.Mean:0.00} ± {r.Sampled.Std:0.00} | {r.Greedy.Mean:0.00} ± {r.Greedy.Std:0.00} | {Ratio(r.Sampled.Mean, baseline?.Sampled.Mean)} | {Ratio(r.Greedy.Mean, baseline?.Greedy.Mean)} | {ProgressPrinter.FormatDuration(r.TrainSeconds)} | {r.StepsPerSecond:N0} |");
        }

        return sb.ToString();
    }

    /// <summary><paramref name="value"/> / <paramref name="baseline"/> with two decimals, or "n/a" without a positive baseline.</summary>
    public static string Ratio(double value, double? baseline) =>
        baseline is { } b && b > 0 && double.IsFinite(value)
            ? (value / b).ToString("0.00", CultureInfo.InvariantCulture)
            : "n/a";
}
