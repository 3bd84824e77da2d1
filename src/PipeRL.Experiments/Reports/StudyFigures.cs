using System.Globalization;
using PipeRL.Pipeline.Analysis;
using ScottPlot;

namespace PipeRL.Experiments.Reports;

/// <summary>The study's figures, drawn with ScottPlot: learning curves, normalised return against τ, and IQM aggregates.</summary>
public static class StudyFigures
{
    /// <summary>Learning curves of one env at one τ: per actor, the mean over seeds with its 95% bootstrap band.</summary>
    public static Plot Curves(string env, Tau tau, IReadOnlyList<(string Label, CurveBand Band)> curves) =>
        Bands($"{env}, τ = {tau}: training return", "episode return (mean over seeds, 95% CI)", curves);

    /// <summary>Evaluations during training of one env at one τ: per actor, the mean sampled return over seeds with its 95% bootstrap band.</summary>
    public static Plot EvaluationCurves(string env, Tau tau, IReadOnlyList<(string Label, CurveBand Band)> curves) =>
        Bands($"{env}, τ = {tau}: evaluations during training", "evaluation return, sampled (mean over seeds, 95% CI)", curves);

    /// <summary>
    /// Figure 1b: per actor, the final return normalised by <c>instant</c> at the same env and τ, averaged over envs and
    /// seeds with its 95% bootstrap interval, against τ (evenly spaced, in increasing order).
    /// </summary>
    public static Plot NormalisedVersusTau(IReadOnlyList<Tau> taus, IReadOnlyList<(string Label, IReadOnlyList<Interval?> PerTau)> series)
    {
        ArgumentNullException.ThrowIfNull(taus);
        ArgumentNullException.ThrowIfNull(series);
        var plot = FigureStyle.NewPlot("Final return normalised by instant, against τ", "τ (env steps per tick)", "return / instant's (mean, 95% CI)");
        for (var s = 0; s < series.Count; s++)
        {
            var (label, perTau) = series[s];
            var points = Enumerable.Range(0, taus.Count).Where(t => perTau[t] is not null).ToList();
            double[] xs = [.. points.Select(t => t + ((s - ((series.Count - 1) / 2.0)) * 0.04))];
            double[] ys = [.. points.Select(t => perTau[t]!.Value.Estimate)];
            var line = plot.Add.Scatter(xs, ys);
            line.Color = FigureStyle.ColorOf(s);
            line.LinePattern = FigureStyle.PatternOf(s);
            line.LineWidth = 2;
            line.MarkerShape = FigureStyle.MarkerOf(s);
            line.MarkerSize = 9;
            line.LegendText = label;
            var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, [.. points.Select(t => perTau[t]!.Value.Estimate - perTau[t]!.Value.Low)], [.. points.Select(t => perTau[t]!.Value.High - perTau[t]!.Value.Estimate)]);
            plot.Add.Plottable(bars);
            bars.Color = FigureStyle.ColorOf(s);
            bars.LineWidth = 1.5f;
        }

        var baseline = plot.Add.HorizontalLine(1);
        baseline.Color = Colors.Gray;
        baseline.LinePattern = LinePattern.Dotted;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, taus.Count).Select(t => (double)t)], [.. taus.Select(t => t.ToString())]);
        plot.Axes.SetLimitsX(-0.5, taus.Count - 0.5);
        return plot;
    }

    /// <summary>IQM over envs and seeds of the normalised return, per actor (x) and τ (one marker series each), with stratified-bootstrap 95% intervals.</summary>
    public static Plot Iqm(IReadOnlyList<string> labels, IReadOnlyList<(Tau Tau, IReadOnlyList<Interval?> PerLabel)> series)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(series);
        var plot = FigureStyle.NewPlot("Aggregate over envs: IQM of normalised return", "actor", "IQM of return / instant's (95% CI)");
        for (var s = 0; s < series.Count; s++)
        {
            var (tau, perLabel) = series[s];
            var points = Enumerable.Range(0, labels.Count).Where(l => perLabel[l] is not null).ToList();
            double[] xs = [.. points.Select(l => l + ((s - ((series.Count - 1) / 2.0)) * 0.15))];
            double[] ys = [.. points.Select(l => perLabel[l]!.Value.Estimate)];
            var markers = plot.Add.Markers(xs, ys);
            markers.Color = FigureStyle.ColorOf(s);
            markers.MarkerShape = FigureStyle.MarkerOf(s);
            markers.MarkerSize = 10;
            markers.LegendText = $"τ = {tau}";
            var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, [.. points.Select(l => perLabel[l]!.Value.Estimate - perLabel[l]!.Value.Low)], [.. points.Select(l => perLabel[l]!.Value.High - perLabel[l]!.Value.Estimate)]);
            plot.Add.Plottable(bars);
            bars.Color = FigureStyle.ColorOf(s);
            bars.LineWidth = 1.5f;
        }

        var baseline = plot.Add.HorizontalLine(1);
        baseline.Color = Colors.Gray;
        baseline.LinePattern = LinePattern.Dotted;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, labels.Count).Select(l => (double)l)], [.. labels]);
        plot.Axes.SetLimitsX(-0.5, labels.Count - 0.5);
        return plot;
    }

    private static Plot Bands(string title, string yLabel, IReadOnlyList<(string Label, CurveBand Band)> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var plot = FigureStyle.NewPlot(title, "env steps", yLabel);
        for (var i = 0; i < curves.Count; i++)
        {
            var (label, band) = curves[i];
            if (band.EnvSteps.Length == 0)
            {
                continue;
            }

            var fill = plot.Add.FillY(band.EnvSteps, band.Low, band.High);
            fill.FillStyle.Color = FigureStyle.ColorOf(i).WithAlpha(0.18);
            fill.LineStyle.Width = 0;
            var line = plot.Add.ScatterLine(band.EnvSteps, band.Mean);
            line.Color = FigureStyle.ColorOf(i);
            line.LinePattern = FigureStyle.PatternOf(i);
            line.LineWidth = 2.5f;
            line.LegendText = band.Seeds == 1 ? $"{label} (1 seed)" : $"{label} ({band.Seeds} seeds)";
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Steps };
        return plot;
    }

    private static string Steps(double value) => Math.Abs(value) >= 1e6
        ? (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M"
        : Math.Abs(value) >= 1e3 ? (value / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k" : value.ToString("0", CultureInfo.InvariantCulture);
}
