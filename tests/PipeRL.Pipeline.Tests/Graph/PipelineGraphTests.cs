using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Tests.Graph;

public sealed class PipelineGraphTests
{
    [Fact]
    public void DefaultTimingReadsComputingLayersFromThePreviousTickAndWiringFromTheSameTick()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 5);
        var h1 = b.Dense("h1", x, 8, Activation.Relu);
        var cat = b.Concat("cat", x, h1);
        b.CategoricalHead("pi", cat, 3);
        var graph = b.Build();

        Assert.Equal(TickTiming.SameTick, graph["h1"].Inputs[0].Timing);
        Assert.Equal([TickTiming.SameTick, TickTiming.PreviousTick], graph["cat"].Inputs.Select(e => e.Timing));
        Assert.Equal(TickTiming.SameTick, graph["pi"].Inputs[0].Timing);
        Assert.False(graph.HasSameTickLayers);
    }

    [Fact]
    public void ShapesAndParameterCountsFollowEachLayer()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 10, 10, 4);
        var conv = b.Conv2d("conv", x, 16, 3, stride: 2, padding: 1);
        var flat = b.Flatten("flat", conv);
        var lstm = b.LstmCell("lstm", flat, 32);
        b.GaussianHead("pi", lstm, 2);
        b.ValueHead("v", lstm);
        var graph = b.Build();

        Assert.Equal([5, 5, 16], graph["conv"].OutputShape);
        Assert.Equal(400, graph["flat"].OutputSize);
        Assert.Equal((4 * 16 * 9) + 16, graph["conv"].ParameterCount);
        Assert.Equal((4 * 32 * (400 + 32)) + (8 * 32), graph["lstm"].ParameterCount);
        Assert.Equal([4], graph["pi"].OutputShape);
        Assert.Equal(2 * ((32 * 2) + 2), graph["pi"].ParameterCount);
        Assert.Equal(33, graph["v"].ParameterCount);
        Assert.Equal(graph.Layers.Sum(l => l.ParameterCount), graph.ParameterCount);
    }

    [Fact]
    public void TickOrderPutsSameTickSourcesFirst()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 3);
        var late = new GraphNode("a");
        b.CategoricalHead("pi", b.Concat("cat", late.SameTick, x), 2);
        b.Dense("a", x, 4);
        var graph = b.Build();
        var order = graph.TickOrder.Select(i => graph.Layers[i].Name).ToList();

        Assert.True(order.IndexOf("a") < order.IndexOf("cat"));
        Assert.True(order.IndexOf("cat") < order.IndexOf("pi"));
        Assert.True(graph.HasSameTickLayers);
    }

    [Fact]
    public void SameTickLoopIsRejectedNamingTheLoop()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 3);
        var a = new GraphNode("a");
        var c = b.Dense("c", b.Concat("cat", x, a.SameTick), 4);
        b.Dense("a", c.SameTick, 4);
        b.CategoricalHead("pi", a, 2);

        var ex = Assert.Throws<GraphException>(() => b.Build());
        Assert.Contains("loop within one tick", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cat", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PreviousTickLoopIsAllowed()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 3);
        var a = new GraphNode("a");
        b.Dense("a", b.Concat("cat", x, a.PreviousTick), 4);
        b.CategoricalHead("pi", a, 2);
        var graph = b.Build();

        Assert.Equal([7], graph["cat"].OutputShape);
    }

    [Theory]
    [InlineData("dense-on-image", "needs a vector input")]
    [InlineData("add-mismatch", "needs inputs of one shape")]
    [InlineData("concat-mixed", "joins images along channels")]
    [InlineData("unknown-source", "not a layer of the graph")]
    [InlineData("no-inputs", "has 0 inputs but needs 1")]
    [InlineData("no-head", "no head")]
    [InlineData("dead-layer", "Layer 'dead' feeds no head")]
    [InlineData("unused-input", "Input 'y' feeds no head")]
    [InlineData("head-without-observation", "No path leads from any input to head 'pi'")]
    [InlineData("duplicate", "Two layers are named 'x'")]
    [InlineData("kernel-too-big", "does not fit a spatial size")]
    public void InvalidGraphsAreRejectedWithAClearMessage(string caseName, string expected)
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 4);
        switch (caseName)
        {
            case "dense-on-image":
                b.CategoricalHead("pi", b.Dense("d", b.Reshape("img", x, 1, 2, 2), 3), 2);
                break;
            case "add-mismatch":
                b.CategoricalHead("pi", b.Add("sum", x, b.Dense("d", x, 3)), 2);
                break;
            case "concat-mixed":
                b.CategoricalHead("pi", b.Flatten("f", b.Concat("cat", b.Reshape("img", x, 1, 2, 2), x)), 2);
                break;
            case "unknown-source":
                b.CategoricalHead("pi", new GraphNode("nope"), 2);
                break;
            case "no-inputs":
                b.AddLayer(new LayerSpec("d", LayerKind.Dense, []) { Units = 3 });
                b.CategoricalHead("pi", x, 2);
                break;
            case "no-head":
                b.Dense("d", x, 3);
                break;
            case "dead-layer":
                b.Dense("dead", x, 3);
                b.CategoricalHead("pi", x, 2);
                break;
            case "unused-input":
                b.Input("y", 2);
                b.CategoricalHead("pi", x, 2);
                break;
            case "head-without-observation":
                var loop = new GraphNode("loop");
                b.Dense("loop", loop.PreviousTick, 3);
                b.CategoricalHead("pi", loop, 2);
                b.CategoricalHead("pi2", x, 2);
                break;
            case "duplicate":
                b.Dense("x", x, 3);
                break;
            case "kernel-too-big":
                b.CategoricalHead("pi", b.Flatten("f", b.Conv2d("c", b.Reshape("img", x, 2, 2, 1), 2, 3)), 2);
                break;
        }

        var ex = Assert.Throws<GraphException>(() => b.Build());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
