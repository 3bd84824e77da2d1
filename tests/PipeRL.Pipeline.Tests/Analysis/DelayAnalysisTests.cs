using PipeRL.Pipeline.Analysis;
using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Tests.Analysis;

public sealed class DelayAnalysisTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void PlainChainOfNLayersHasDelayN(int layers)
    {
        var b = new GraphBuilder();
        GraphNode h = b.Input("x", 4);
        for (var i = 0; i < layers - 1; i++)
        {
            h = b.Dense($"h{i}", h, 4, Activation.Relu);
        }

        b.CategoricalHead("pi", h, 2);
        var report = DelayAnalysis.Analyze(b.Build(), "x", "pi");

        Assert.Equal(layers, report.MinimumDelay);
        Assert.Equal(layers, report.ReceptiveWindow);
        Assert.Equal([layers], report.Delays);
        Assert.Single(report.Paths);
        Assert.Equal(layers, report.Paths[0].ComputingLayers);
    }

    [Fact]
    public void SkipToTheHeadGivesDelayOneAndEveryPathIsListed()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 4);
        var h1 = b.Dense("h1", x, 4);
        var h2 = b.Dense("h2", h1, 4);
        b.CategoricalHead("pi", b.Concat("cat", x, h1, h2), 2);
        var report = DelayAnalysis.Analyze(b.Build(), "x", "pi");

        Assert.Equal(1, report.MinimumDelay);
        Assert.Equal(3, report.ReceptiveWindow);
        Assert.Equal([1, 2, 3], report.Delays);
        Assert.Equal(["x -> pi", "x -> h1 => pi", "x -> h1 => h2 => pi"], report.Paths.Select(p => p.ToString()));
    }

    [Fact]
    public void DelaySetCanHaveGaps()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 4);
        var h1 = b.Dense("h1", x, 4);
        var h2 = b.Dense("h2", h1, 4);
        var h3 = b.Dense("h3", h2, 4);
        b.CategoricalHead("pi", b.Concat("cat", x, h3), 2);
        var report = DelayAnalysis.Analyze(b.Build(), "x", "pi");

        Assert.Equal([1, 4], report.Delays);
    }

    [Fact]
    public void SameTickEdgesAddNoDelay()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 4);
        var h1 = b.Dense("h1", x, 4);
        var h2 = b.Dense("h2", h1.SameTick, 4);
        b.CategoricalHead("pi", h2, 2);
        var report = DelayAnalysis.Analyze(b.Build(), "x", "pi");

        Assert.Equal(2, report.MinimumDelay);
        Assert.Equal("x -> h1 -> h2 => pi", report.Paths[0].ToString());
        Assert.Equal(3, report.Paths[0].ComputingLayers);
    }

    [Fact]
    public void RecurrenceMakesTheWindowUnbounded()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 4);
        var h = b.Dense("h", x, 4);
        b.CategoricalHead("pi", b.LstmCell("lstm", h, 4), 2);
        var report = DelayAnalysis.Analyze(b.Build(), "x", "pi");

        Assert.Equal(3, report.MinimumDelay);
        Assert.Null(report.ReceptiveWindow);
        Assert.Empty(report.Delays);
    }

    [Fact]
    public void PreviousTickLoopMakesTheWindowUnbounded()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 4);
        var a = new GraphNode("a");
        b.Dense("a", b.Concat("cat", x, a), 4);
        b.CategoricalHead("pi", a, 2);
        var report = DelayAnalysis.Analyze(b.Build(), "x", "pi");

        Assert.Equal(2, report.MinimumDelay);
        Assert.Null(report.ReceptiveWindow);
    }

    [Fact]
    public void AnalyzeCoversEveryConnectedInputAndHead()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 4);
        var y = b.Input("y", 2);
        var h = b.Dense("h", x, 4);
        b.CategoricalHead("pi", b.Concat("cat", h, y), 2);
        b.ValueHead("v", h);
        var reports = DelayAnalysis.Analyze(b.Build());

        Assert.Equal(["x>pi:2", "x>v:2", "y>pi:1"], reports.Select(r => $"{r.Input}>{r.Head}:{r.MinimumDelay}"));
    }
}
