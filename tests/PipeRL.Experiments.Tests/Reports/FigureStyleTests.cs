using PipeRL.Experiments.Reports;
using PipeRL.Tests;
using ScottPlot;

namespace PipeRL.Experiments.Tests.Reports;

public sealed class FigureStyleTests
{
    [Fact]
    public void SaveWritesBothFilesAndGivesTheLinesBackTheirPatternsAfterTheSolidSvg()
    {
        using var dir = new TempDirectory();
        var plot = FigureStyle.NewPlot("title", "x", "y");
        var line = plot.Add.ScatterLine(new double[] { 0, 1, 2 }, new double[] { 1, 0, 1 });
        line.LinePattern = LinePattern.Dashed;
        var baseline = plot.Add.HorizontalLine(0.5);
        baseline.LinePattern = LinePattern.Dotted;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "dashed", LinePattern = LinePattern.Dashed });
        var (png, svg) = (Path.Combine(dir.Path, "f.png"), Path.Combine(dir.Path, "f.svg"));

        FigureStyle.Save(plot, png, svg, 400, 300);

        Assert.True(new FileInfo(png).Length > 1000);
        Assert.Contains("<svg", File.ReadAllText(svg), StringComparison.Ordinal);
        Assert.Equal(LinePattern.Dashed, line.LinePattern);
        Assert.Equal(LinePattern.Dotted, baseline.LinePattern);
        Assert.Equal(LinePattern.Dashed, plot.Legend.ManualItems[0].LinePattern);
    }
}
