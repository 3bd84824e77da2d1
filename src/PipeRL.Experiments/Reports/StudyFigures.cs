using System.Globalization;
using PipeRL.Pipeline.Analysis;
using ScottPlot;

namespace PipeRL.Experiments.Reports;

/// <summary>The study's figures, drawn with ScottPlot: learning curves, normalised return against τ, and IQM aggregates.</summary>
public static class StudyFigures
{
    /// <summary>About how many points of a learning curve carry its marker.</summary>
    internal const int MarkersPerCurve = 10;

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
            IntervalBars(plot, xs, [.. points.Select(t => perTau[t]!.Value)], FigureStyle.ColorOf(s));
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
            IntervalBars(plot, xs, [.. points.Select(l => perLabel[l]!.Value)], FigureStyle.ColorOf(s));
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

            // Markers on a few points tell the curves apart where the line pattern is lost: in greyscale, and in the SVG,
            // whose renderer draws every pattern solid. Each curve starts at its own offset so markers do not pile up.
            var marked = MarkedPoints(band.EnvSteps.Length, i);
            double[] markedSteps = [.. marked.Select(p => band.EnvSteps[p])];
            double[] markedMeans = [.. marked.Select(p => band.Mean[p])];
            var markers = plot.Add.Markers(markedSteps, markedMeans);
            markers.Color = FigureStyle.ColorOf(i);
            markers.MarkerShape = FigureStyle.MarkerOf(i);
            markers.MarkerSize = 9;
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = band.Seeds == 1 ? $"{label} (1 seed)" : $"{label} ({band.Seeds} seeds)",
                LineColor = FigureStyle.ColorOf(i),
                LinePattern = FigureStyle.PatternOf(i),
                LineWidth = 2.5f,
                MarkerShape = FigureStyle.MarkerOf(i),
                MarkerSize = 9,
                MarkerColor = FigureStyle.ColorOf(i),
            });
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Steps };
        return plot;
    }

    /// <summary>Vertical bars from each interval's low to its high end at <paramref name="xs"/> (ScottPlot takes the upper error first).</summary>
    private static void IntervalBars(Plot plot, double[] xs, Interval[] intervals, Color color)
    {
        var bars = new ScottPlot.Plottables.ErrorBar(
            xs,
            [.. intervals.Select(i => i.Estimate)],
            xErrorsPositive: null,
            xErrorsNegative: null,
            yErrorsPositive: [.. intervals.Select(i => i.High - i.Estimate)],
            yErrorsNegative: [.. intervals.Select(i => i.Estimate - i.Low)]);
        plot.Add.Plottable(bars);
        bars.Color = color;
        bars.LineWidth = 1.5f;
    }

    /// <summary>The indices of about <see cref="MarkersPerCurve"/> evenly spaced points of a curve of <paramref name="points"/>, shifted by series.</summary>
    internal static int[] MarkedPoints(int points, int series)
    {
        if (points == 0)
        {
            return [];
        }

        var stride = Math.Max(1, points / MarkersPerCurve);
        var first = series * stride / 4 % stride;
        return [.. Enumerable.Range(0, ((points - 1 - first) / stride) + 1).Select(k => first + (k * stride))];
    }

    private static string Steps(double value) => Math.Abs(value) >= 1e6
        ? (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M"
        : Math.Abs(value) >= 1e3 ? (value / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k" : value.ToString("0", CultureInfo.InvariantCulture);
}
