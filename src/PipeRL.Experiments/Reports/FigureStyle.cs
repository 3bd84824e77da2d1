using ScottPlot;

namespace PipeRL.Experiments.Reports;

/// <summary>
/// How a study's series are drawn so that they stay apart in greyscale: the Okabe-Ito colours (distinct for colour-blind
/// readers and in lightness), each with its own line pattern and marker; the baseline <c>instant</c> is black and solid.
/// </summary>
public static class FigureStyle
{
    private static readonly Color[] Colors =
    [
        Color.FromHex("#000000"), Color.FromHex("#E69F00"), Color.FromHex("#0072B2"), Color.FromHex("#009E73"),
        Color.FromHex("#D55E00"), Color.FromHex("#56B4E9"), Color.FromHex("#CC79A7"), Color.FromHex("#F0E442"),
    ];

    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    private static readonly MarkerShape[] Markers =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond,
    ];

    /// <summary>The colour of series <paramref name="index"/>.</summary>
    public static Color ColorOf(int index) => Colors[index % Colors.Length];

    /// <summary>The line pattern of series <paramref name="index"/>.</summary>
    public static LinePattern PatternOf(int index) => Patterns[index % Patterns.Length];

    /// <summary>The marker of series <paramref name="index"/>.</summary>
    public static MarkerShape MarkerOf(int index) => Markers[index % Markers.Length];

    /// <summary>A new plot with the report's font and sizes, the legend outside the data area on the right.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>
    /// Saves <paramref name="plot"/> as a PNG and an SVG of <paramref name="width"/>×<paramref name="height"/> pixels. The SVG's
    /// lines are drawn solid: SkiaSharp's SVG canvas has no dash effect, so it would draw them solid anyway and print
    /// "Unsupported path effect in addPaint." once per dashed line; the markers keep the series apart there.
    /// </summary>
    public static void Save(Plot plot, string pngPath, string svgPath, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.SavePng(pngPath, width, height);
        var lines = plot.GetPlottables().OfType<IHasLine>().Where(l => !l.LinePattern.Equals(LinePattern.Solid)).ToList();
        var legend = plot.Legend.ManualItems.Where(l => !l.LinePattern.Equals(LinePattern.Solid)).ToList();
        var (linePatterns, legendPatterns) = (lines.Select(l => l.LinePattern).ToList(), legend.Select(l => l.LinePattern).ToList());
        lines.ForEach(l => l.LinePattern = LinePattern.Solid);
        legend.ForEach(l => l.LinePattern = LinePattern.Solid);
        try
        {
            plot.SaveSvg(svgPath, width, height);
        }
        finally
        {
            for (var i = 0; i < lines.Count; i++)
            {
                lines[i].LinePattern = linePatterns[i];
            }

            for (var i = 0; i < legend.Count; i++)
            {
                legend[i].LinePattern = legendPatterns[i];
            }
        }
    }
}
