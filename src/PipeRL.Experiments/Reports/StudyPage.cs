using System.Globalization;
using System.Net;
using System.Text;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Studies;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tensors;
using ScottPlot;

namespace PipeRL.Experiments.Reports;

/// <summary>
/// <c>piperl report STUDY</c>: the study's table, learning curves per env and τ, the normalised return against τ (the
/// paper's Figure 1b) and the IQM aggregate over envs, as PNG and SVG in <c>figures/</c>, a Markdown page
/// (<c>report.md</c>) and a self-contained HTML page (<c>report.html</c>, the SVGs inline).
/// </summary>
public static class StudyPage
{
    private const int Width = 900;
    private const int Height = 480;

    /// <summary>Writes the report of the finished runs of <paramref name="folder"/>; returns the paths of the two pages.</summary>
    public static (string Markdown, string Html) Write(string folder)
    {
        var (runs, unfinished) = StudyRun.LoadAll(folder);
        var table = StudyReport.Write(folder, runs, unfinished);
        var figures = Path.Combine(folder, "figures");
        Directory.CreateDirectory(figures);
        var random = new SeededRandom(20250101);
        var labels = runs.Select(r => r.Label).Distinct().ToList();
        var taus = runs.Select(r => r.Summary.Tau).Distinct().OrderBy(t => t.Value).ToList();
        var envs = runs.Select(r => r.Summary.Env).Distinct().ToList();
        var items = new List<(string Title, string Name, string Caption, string Table)>();

        var normalised = Normalised(runs);
        if (normalised.Count > 0)
        {
            var series = labels.Select(label => (label, (IReadOnlyList<Interval?>)[.. taus.Select(tau =>
            {
                var values = normalised.Where(n => n.Label == label && n.Tau == tau).Select(n => n.Value).ToList();
                return values.Count > 0 ? Bootstrap.Mean(values, random) : (Interval?)null;
            })])).ToList();
            Save(StudyFigures.NormalisedVersusTau(taus, series), figures, "normalised-vs-tau");
            items.Add(("Normalised return against τ (Figure 1b)", "normalised-vs-tau", "Each point: the mean over envs and seeds of a run's final sampled evaluation return divided by the mean of the instant actor's at the same env and τ; bars: 95% percentile-bootstrap interval over those runs. The grey line at 1 is instant's level.",
                IntervalTable("mean [95% CI]", labels, taus, (l, t) => series[l].Item2[t])));

            var iqm = taus.Select(tau => (tau, (IReadOnlyList<Interval?>)[.. labels.Select(label =>
            {
                var perEnv = envs.Select(env => (IReadOnlyList<double>)[.. normalised.Where(n => n.Label == label && n.Tau == tau && n.Env == env).Select(n => n.Value)])
                    .Where(v => v.Count > 0).ToList();
                return perEnv.Count > 0 ? Bootstrap.StratifiedIqm(perEnv, random) : (Interval?)null;
            })])).ToList();
            Save(StudyFigures.Iqm(labels, iqm), figures, "iqm");
            items.Add(("Aggregate over envs (IQM)", "iqm", "Interquartile mean over all envs' and seeds' normalised returns per actor and τ, with a stratified bootstrap (runs resampled within each env) 95% interval, as in rliable.",
                IntervalTable("IQM [95% CI]", labels, taus, (l, t) => iqm[t].Item2[l])));
        }

        foreach (var env in envs)
        {
            foreach (var tau in taus)
            {
                var cell = labels.Select(label => (Label: label, Runs: runs.Where(r => r.Summary.Env == env && r.Summary.Tau == tau && r.Label == label).Select(r => LearningCurves.Read(r.MetricsPath)).ToList())).ToList();
                var curves = cell.Select(c => (c.Label, LearningCurve.Band([.. c.Runs.Select(r => r.Episodes)], random))).ToList();
                if (curves.All(c => c.Item2.Seeds == 0))
                {
                    continue;
                }

                var suffix = $"{env.Replace('/', '-')}_tau{tau.ToString().Replace('/', '-')}";
                Save(StudyFigures.Curves(env, tau, curves), figures, "curves_" + suffix);
                items.Add(($"Learning curves: {env}, τ = {tau}", "curves_" + suffix, $"Training episode returns against env steps: per actor, the mean over seeds of each seed's mean return in a trailing window of {100.0 * 2 / LearningCurve.Points:0}% of the run, with its 95% bootstrap interval over seeds.", string.Empty));

                var evaluations = cell.Select(c => (c.Label, EvaluationBand([.. c.Runs.Select(r => r.Evaluations)], random))).ToList();
                if (evaluations.Any(e => e.Item2.EnvSteps.Length > 0))
                {
                    Save(StudyFigures.EvaluationCurves(env, tau, evaluations), figures, "evaluations_" + suffix);
                    items.Add(($"Evaluations during training: {env}, τ = {tau}", "evaluations_" + suffix, "Mean sampled return of the evaluations during training (--eval-every; deterministic evaluation envs) against env steps: per actor, the mean over seeds at each evaluation, with its 95% bootstrap interval over seeds; up to the evaluation every seed reached.", string.Empty));
                }
            }
        }

        var ticks = string.Join(" / ", runs.Select(r => r.Summary.Ticks).Distinct().Select(t => t.ToString("N0", CultureInfo.InvariantCulture)));
        var heading = $"PipeRL study {Path.GetFileName(Path.GetFullPath(folder))}: {runs.Count} finished runs, {ticks} ticks each";
        var md = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"# {heading}").AppendLine();
        if (unfinished > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"{unfinished} run(s) have not finished and are left out.").AppendLine();
        }

        md.AppendLine("Final evaluation (sampled and greedy actions); normalised = mean / the same env's and τ's `instant` mean.").AppendLine().Append(table);
        foreach (var (title, name, caption, itemTable) in items)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"![{title}](figures/{name}.png)").AppendLine().AppendLine(caption);
            if (itemTable.Length > 0)
            {
                md.AppendLine().Append(itemTable);
            }
        }

        var html = new StringBuilder()
            .AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .AppendLine(CultureInfo.InvariantCulture, $"<title>{WebUtility.HtmlEncode(heading)}</title>")
            .AppendLine("<style>body{font-family:'DejaVu Sans',sans-serif;max-width:1000px;margin:2em auto;color:#111}table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #999;padding:3px 6px;text-align:right}th:nth-child(-n+3),td:nth-child(-n+3){text-align:left}figure{margin:2em 0}figcaption{font-size:14px;color:#333}svg{max-width:100%;height:auto}</style>")
            .AppendLine("</head><body>")
            .AppendLine(CultureInfo.InvariantCulture, $"<h1>{WebUtility.HtmlEncode(heading)}</h1>")
            .AppendLine(HtmlTable(table));
        foreach (var (title, name, caption, itemTable) in items)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<figure><h2>{WebUtility.HtmlEncode(title)}</h2>")
                .AppendLine(File.ReadAllText(Path.Combine(figures, name + ".svg")))
                .AppendLine(CultureInfo.InvariantCulture, $"<figcaption>{WebUtility.HtmlEncode(caption)}</figcaption>")
                .AppendLine(itemTable.Length > 0 ? HtmlTable(itemTable) : string.Empty)
                .AppendLine("</figure>");
        }

        html.AppendLine("</body></html>");
        var mdPath = Path.Combine(folder, "report.md");
        var htmlPath = Path.Combine(folder, "report.html");
        AtomicFile.WriteAllText(mdPath, md.ToString());
        AtomicFile.WriteAllText(htmlPath, html.ToString());
        return (mdPath, htmlPath);
    }

    /// <summary>Each finished run's sampled return divided by the mean of its env's and τ's <c>instant</c> runs (runs without a positive baseline left out).</summary>
    public static IReadOnlyList<(string Env, Tau Tau, string Label, double Value)> Normalised(IReadOnlyList<StudyRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var result = new List<(string, Tau, string, double)>();
        foreach (var cell in runs.GroupBy(r => (r.Summary.Env, r.Summary.Tau)))
        {
            var baseline = cell.Where(r => r.Label == StudyArch.Baseline).Select(r => r.Summary.Sampled.Mean).ToList();
            if (baseline.Count == 0 || baseline.Average() <= 0)
            {
                continue;
            }

            var mean = baseline.Average();
            result.AddRange(cell.Select(r => (cell.Key.Env, cell.Key.Tau, r.Label, r.Summary.Sampled.Mean / mean)));
        }

        return result;
    }

    /// <summary>
    /// Per evaluation index reached by every seed of <paramref name="seeds"/> (each its evaluations in order): the mean env
    /// steps, and the mean sampled return over seeds with its 95% bootstrap interval.
    /// </summary>
    internal static CurveBand EvaluationBand(IReadOnlyList<IReadOnlyList<EvaluationPoint>> seeds, SeededRandom random)
    {
        var points = seeds.Count == 0 ? 0 : seeds.Min(s => s.Count);
        var (steps, mean, low, high) = (new double[points], new double[points], new double[points], new double[points]);
        for (var i = 0; i < points; i++)
        {
            steps[i] = seeds.Average(s => (double)s[i].EnvSteps);
            var interval = Bootstrap.Mean([.. seeds.Select(s => s[i].Sampled)], random);
            (mean[i], low[i], high[i]) = (interval.Estimate, interval.Low, interval.High);
        }

        return new CurveBand(steps, mean, low, high, points == 0 ? 0 : seeds.Count);
    }

    /// <summary>A Markdown table of one interval per actor (row) and τ (column), "estimate [low, high]"; "–" where there is none.</summary>
    internal static string IntervalTable(string what, IReadOnlyList<string> labels, IReadOnlyList<Tau> taus, Func<int, int, Interval?> interval)
    {
        var md = new StringBuilder("| actor | ").Append(string.Join(" | ", taus.Select(t => $"τ = {t}: {what}"))).AppendLine(" |")
            .Append("|---|").Append(string.Concat(taus.Select(_ => "---:|"))).AppendLine();
        for (var l = 0; l < labels.Count; l++)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {labels[l]} |");
            for (var t = 0; t < taus.Count; t++)
            {
                md.Append(interval(l, t) is { } i ? string.Create(CultureInfo.InvariantCulture, $" {i.Estimate:0.00} [{i.Low:0.00}, {i.High:0.00}] |") : " – |");
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    private static void Save(Plot plot, string folder, string name) =>
        FigureStyle.Save(plot, Path.Combine(folder, name + ".png"), Path.Combine(folder, name + ".svg"), Width, Height);

    private static string HtmlTable(string markdown)
    {
        var rows = markdown.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("|---", StringComparison.Ordinal)).ToList();
        var sb = new StringBuilder("<table>\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var tag = i == 0 ? "th" : "td";
            sb.Append("<tr>");
            foreach (var cell in rows[i].Trim('|').Split('|'))
            {
                sb.Append('<').Append(tag).Append('>').Append(WebUtility.HtmlEncode(cell.Trim())).Append("</").Append(tag).Append('>');
            }

            sb.Append("</tr>\n");
        }

        return sb.Append("</table>").ToString();
    }
}
