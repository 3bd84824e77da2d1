using System.Globalization;
using System.Text;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Training;

namespace PipeRL.Experiments.Studies;

/// <summary>
/// A study's outcome: per env and architecture, the evaluation return over seeds (mean of the runs' mean returns,
/// the standard deviation across seeds and the lowest and highest seed), normalised by the env's <c>instant</c> actor.
/// </summary>
public static class StudyReport
{
    /// <summary>
    /// The table, Markdown, one row per (env, τ, actor) in the order of <paramref name="runs"/>; the normalised columns divide
    /// by the mean of the same env's and τ's <c>instant</c> actor.
    /// </summary>
    public static string Table(IReadOnlyList<StudyRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| env | tau | actor | delay (ticks) | seeds | sampled return | seed range (sampled) | greedy return | normalised (sampled) | normalised (greedy) | env steps/s |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var cell in runs.GroupBy(r => (r.Summary.Env, r.Summary.Tau)))
        {
            var groups = cell.GroupBy(r => r.Label).Select(g => g.ToList()).OrderBy(g => g[0].Label == StudyArch.Baseline ? 0 : 1).ToList();
            var baseline = groups.FirstOrDefault(g => g[0].Label == StudyArch.Baseline);
            double? baseSampled = baseline is null ? null : Spread.Of(baseline.Select(r => r.Summary.Sampled.Mean)).Mean;
            double? baseGreedy = baseline is null ? null : Spread.Of(baseline.Select(r => r.Summary.Greedy.Mean)).Mean;
            foreach (var g in groups)
            {
                var sampled = Spread.Of(g.Select(r => r.Summary.Sampled.Mean));
                var greedy = Spread.Of(g.Select(r => r.Summary.Greedy.Mean));
                var sps = g.Average(r => r.Summary.StepsPerSecond);
                sb.AppendLine(c, $"| {cell.Key.Env} | {cell.Key.Tau} | {g[0].Label} | {g[0].Summary.DelayTicks} | {g.Count} | {sampled} | {sampled.Min:0.00} .. {sampled.Max:0.00} | {greedy} | {Ratio(sampled.Mean, baseSampled)} | {Ratio(greedy.Mean, baseGreedy)} | {sps:N0} |");
            }
        }

        return sb.ToString();
    }

    /// <summary><paramref name="value"/> / <paramref name="baseline"/> with two decimals, or "n/a" without a positive baseline.</summary>
    public static string Ratio(double value, double? baseline) =>
        baseline is { } b && b > 0 && double.IsFinite(value)
            ? (value / b).ToString("0.00", CultureInfo.InvariantCulture)
            : "n/a";

    /// <summary>Writes <c>study.md</c> (the table) and <c>curves.csv</c> (every run's episode returns) into <paramref name="folder"/>; returns the table.</summary>
    public static string Write(string folder, IReadOnlyList<StudyRun> runs, int unfinished)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new UserInputException($"{folder} holds no finished run (runs with an evaluation.json); nothing to report.");
        }

        var c = CultureInfo.InvariantCulture;
        var table = Table(runs);
        var ticks = runs.Select(r => r.Summary.Ticks).Distinct().ToList();
        var episodes = runs.Select(r => r.Summary.Sampled.Returns.Count).Distinct().ToList();
        var md = new StringBuilder()
            .AppendLine(c, $"# PipeRL study: {runs.Count} runs, {string.Join(" / ", ticks.Select(t => t.ToString("N0", c)))} ticks each")
            .AppendLine()
            .AppendLine(c, $"Final evaluation over {string.Join(" / ", episodes)} episodes per run. A return is the mean over seeds of each run's mean")
            .AppendLine("evaluation return ± the standard deviation across seeds (n − 1; none for one seed); the seed range is the")
            .AppendLine("lowest and highest seed's mean. Normalised = mean / the same env's and tau's `instant` mean.");
        if (unfinished > 0)
        {
            md.AppendLine().AppendLine(c, $"{unfinished} run(s) in this folder have not finished and are left out.");
        }

        md.AppendLine().Append(table);
        var curves = new StringBuilder("env,tau,actor,seed," + LearningCurves.Columns + "\n");
        foreach (var r in runs)
        {
            LearningCurves.Append(curves, string.Create(c, $"{r.Summary.Env},{r.Summary.Tau},{r.Label},{r.Seed}"), r.MetricsPath);
        }

        AtomicFile.WriteAllText(Path.Combine(folder, "study.md"), md.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "curves.csv"), curves.ToString());
        return table;
    }

    /// <summary>The mean, sample standard deviation (n − 1), lowest and highest of some per-seed values.</summary>
    private readonly record struct Spread(double Mean, double Std, double Min, double Max, int Count)
    {
        public static Spread Of(IEnumerable<double> values)
        {
            var v = values.ToArray();
            var mean = v.Average();
            var std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : double.NaN;
            return new Spread(mean, std, v.Min(), v.Max(), v.Length);
        }

        public override string ToString() => Count > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{Mean:0.00} ± {Std:0.00}")
            : Mean.ToString("0.00", CultureInfo.InvariantCulture);
    }
}
