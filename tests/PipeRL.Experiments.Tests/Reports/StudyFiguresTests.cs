using PipeRL.Experiments.Reports;
using PipeRL.Pipeline.Analysis;
using ScottPlot;

namespace PipeRL.Experiments.Tests.Reports;

public sealed class StudyFiguresTests
{
    [Theory]
    [InlineData(100, 0, 0, 10)]
    [InlineData(100, 1, 2, 10)]
    [InlineData(100, 3, 7, 10)]
    [InlineData(95, 2, 4, 11)]
    [InlineData(3, 1, 0, 3)]
    public void AboutTenEvenlySpacedPointsOfACurveCarryItsMarkerShiftedBySeries(int points, int series, int first, int count)
    {
        var marked = StudyFigures.MarkedPoints(points, series);
        Assert.Equal(first, marked[0]);
        Assert.Equal(count, marked.Length);
        Assert.All(marked, p => Assert.InRange(p, 0, points - 1));
        Assert.Equal(marked.Length, marked.Distinct().Count());
        Assert.Empty(StudyFigures.MarkedPoints(0, series));
    }

    [Fact]
    public void AnAsymmetricIntervalIsDrawnFromItsLowToItsHighEnd()
    {
        // An estimate of 0.74 in [0.69, 0.87]: the bar reaches 0.13 up and 0.05 down, in both figures that draw intervals.
        var interval = new Interval(0.74, 0.69, 0.87);
        var figure1b = StudyFigures.NormalisedVersusTau([Tau.One], [("pipelined", [interval])]);
        var iqm = StudyFigures.Iqm(["pipelined"], [(Tau.One, [interval])]);
        foreach (var plot in new[] { figure1b, iqm })
        {
            var bars = Assert.Single(plot.GetPlottables<ScottPlot.Plottables.ErrorBar>());
            Assert.Equal(0.74, bars.Ys[0], 12);
            Assert.Equal(0.13, bars.YErrorPositive![0], 12);
            Assert.Equal(0.05, bars.YErrorNegative![0], 12);
        }
    }

    [Fact]
    public void EachLearningCurveHasItsOwnMarkerInThePlotAndInTheLegend()
    {
        double[] steps = [.. Enumerable.Range(1, 50).Select(i => i * 1000.0)];
        var band = new CurveBand(steps, [.. steps.Select(s => s / 1000)], [.. steps.Select(s => (s / 1000) - 1)], [.. steps.Select(s => (s / 1000) + 1)], 2);
        var plot = StudyFigures.Curves("minatar/breakout", Tau.One, [("instant", band), ("pipelined", band), ("temporal-skip-aug", band)]);

        var markers = plot.GetPlottables<ScottPlot.Plottables.Markers>().ToList();
        Assert.Equal(3, markers.Count);
        Assert.Equal(3, markers.Select(m => m.MarkerShape).Distinct().Count());
        Assert.All(markers, m => Assert.InRange(m.Data.GetScatterPoints().Count, 8, 12));

        var legend = plot.Legend.ManualItems;
        Assert.Equal(["instant (2 seeds)", "pipelined (2 seeds)", "temporal-skip-aug (2 seeds)"], legend.Select(l => l.LabelText));
        Assert.Equal(markers.Select(m => m.MarkerShape), legend.Select(l => l.MarkerShape));
        Assert.Equal(3, legend.Select(l => l.LinePattern).Distinct().Count());
    }
}
