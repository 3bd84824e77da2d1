using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Tests.Graph;

public sealed class PoolLayerTests
{
    private const string Pooled = """
        {
          "layers": [
            { "name": "obs", "kind": "input", "shape": [7, 9, 3] },
            { "name": "conv", "kind": "conv2d", "inputs": ["obs"], "units": 4, "kernel": 3, "padding": 1, "activation": "relu" },
            { "name": "mp", "kind": "pool", "inputs": ["conv"], "mode": "max", "kernel": 2 },
            { "name": "ap", "kind": "pool", "inputs": ["mp"], "mode": "avg", "kernel": 3 },
            { "name": "flat", "kind": "flatten", "inputs": ["ap"] },
            { "name": "pi", "kind": "categorical-head", "inputs": ["flat"], "units": 3 }
          ]
        }
        """;

    [Fact]
    public void PoolingFloorsTheSpatialSizeKeepsChannelsAndHasNoParameters()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 7, 9, 3);
        var mp = b.Pool("mp", x, PoolMode.Max, 2);
        var ap = b.Pool("ap", mp, PoolMode.Average, 3);
        b.CategoricalHead("pi", b.Flatten("flat", ap), 2);
        var graph = b.Build();

        Assert.Equal([3, 4, 3], graph["mp"].OutputShape);
        Assert.Equal([1, 1, 3], graph["ap"].OutputShape);
        Assert.Equal(0, graph["mp"].ParameterCount);
        Assert.Equal(0, graph["ap"].ParameterCount);
    }

    [Fact]
    public void PoolIsWiringReadFromTheSameTickAndReadsConvFromThePreviousTick()
    {
        var graph = GraphJson.Parse(Pooled);

        Assert.Equal(TickTiming.PreviousTick, graph["mp"].Inputs[0].Timing);
        Assert.Equal(TickTiming.SameTick, graph["ap"].Inputs[0].Timing);
        Assert.Equal(TickTiming.SameTick, graph["flat"].Inputs[0].Timing);
        Assert.Equal(PipelineGraph.DefaultTiming(LayerKind.Activation), PipelineGraph.DefaultTiming(LayerKind.Pool));
    }

    [Fact]
    public void JsonRoundTripKeepsModeAndKernel()
    {
        var graph = GraphJson.Parse(Pooled);
        var json = GraphJson.Write(graph);
        var again = GraphJson.Parse(json);

        Assert.Equal(json, GraphJson.Write(again));
        Assert.Equal(PoolMode.Max, again["mp"].Spec.Pool);
        Assert.Equal(PoolMode.Average, again["ap"].Spec.Pool);
        Assert.Equal(3, again["ap"].Spec.Kernel);
        Assert.Equal([1, 1, 4], again["ap"].OutputShape);
        Assert.Contains("\"mode\": \"avg\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "p", "kind": "pool", "inputs": ["img"], "mode": "max", "kernel": 2 }""", "[4]", "needs an [H, W, C] input")]
    [InlineData("""{ "name": "p", "kind": "pool", "inputs": ["img"], "mode": "max", "kernel": 0 }""", "[2, 2, 1]", "window 0 must be at least 1")]
    [InlineData("""{ "name": "p", "kind": "pool", "inputs": ["img"], "mode": "avg", "kernel": 3 }""", "[2, 2, 1]", "window 3 must be at least 1 and fit")]
    [InlineData("""{ "name": "p", "kind": "pool", "inputs": ["img"], "mode": "min", "kernel": 2 }""", "[2, 2, 1]", "unknown pooling mode")]
    public void InvalidPoolingIsRejectedWithAClearMessage(string pool, string shape, string expected)
    {
        var json = $$"""
            {
              "layers": [
                { "name": "obs", "kind": "input", "shape": [4] },
                { "name": "img", "kind": "reshape", "inputs": ["obs"], "shape": {{shape}} },
                {{pool}},
                { "name": "flat", "kind": "flatten", "inputs": ["p"] },
                { "name": "pi", "kind": "categorical-head", "inputs": ["flat"], "units": 2 }
              ]
            }
            """;
        var ex = Assert.Throws<GraphException>(() => GraphJson.Parse(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
