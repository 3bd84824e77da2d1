using System.Globalization;
using PipeRL.Experiments.Reports;
using ScottPlot;

namespace PipeRL.Bench.Speedup;

/// <summary>
/// Speed-up versus depth, one line per tick implementation (dashed: paced), as PNG and SVG (the paper's Figure 1a), in
/// the study figures' colours and markers so that the lines stay apart in greyscale.
/// </summary>
public static class SpeedupPlot
{
    private const int PlotWidth = 1100;
    private const int PlotHeight = 600;

    /// <summary>Writes the plot of <paramref name="rows"/> to <paramref name="pngPath"/> and <paramref name="svgPath"/>.</summary>
    public static void Save(IReadOnlyList<SpeedupRow> rows, SpeedupOptions options, string pngPath, string svgPath)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var plot = new Plot();
        var implementations = rows.Select(r => r.Implementation).Where(i => i != SpeedupBench.Sequential).Distinct().ToArray();
        for (var i = 0; i < implementations.Length; i++)
        {
            // Index 0 is the studies' black baseline; every implementation here is compared with the sequential pass.
            var (color, marker) = (FigureStyle.ColorOf(i + 1), FigureStyle.MarkerOf(i + 1));
            var series = rows.Where(r => r.Implementation == implementations[i]).OrderBy(r => r.Depth).ToArray();
            Line(plot, series, r => r.SpeedupPercent, implementations[i], color, marker, paced: false);
            Line(plot, series, r => r.PacedSpeedupPercent, implementations[i] + " (paced)", color, marker, paced: true);
        }

        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Gray;
        zero.LineWidth = 1;
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Pipelined tick vs sequential forward pass (width {options.Width}, batch {options.Batch}, {options.Threads} threads)"));
        plot.XLabel("layers");
        plot.YLabel("speed-up over the sequential forward pass (%)");
        plot.Axes.Title.Label.FontSize = 18;
        plot.Axes.Bottom.Label.FontSize = 16;
        plot.Axes.Left.Label.FontSize = 16;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Legend.FontSize = 13;
        plot.ShowLegend(Edge.Right);
        FigureStyle.Save(plot, pngPath, svgPath, PlotWidth, PlotHeight);
    }

    private static void Line(Plot plot, SpeedupRow[] series, Func<SpeedupRow, double> value, string label, Color color, MarkerShape marker, bool paced)
    {
        var points = series.Where(r => !double.IsNaN(value(r))).ToArray();
        if (points.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(points.Select(r => (double)r.Depth).ToArray(), points.Select(value).ToArray());
        scatter.LegendText = label;
        scatter.Color = color;
        scatter.LineWidth = 2;
        scatter.MarkerShape = marker;
        scatter.MarkerSize = paced ? 0 : 8;
        scatter.LinePattern = paced ? LinePattern.Dashed : LinePattern.Solid;
    }
}
