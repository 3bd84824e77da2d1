using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Tests.Graph;

public sealed class GraphJsonTests
{
    private const string Skip = """
        {
          "layers": [
            { "name": "obs", "kind": "input", "shape": [5] },
            { "name": "h1", "kind": "dense", "inputs": ["obs"], "units": 8, "activation": "relu" },
            { "name": "cat", "kind": "concat", "inputs": ["obs", "h1"] },
            { "name": "h2", "kind": "dense", "inputs": ["cat"], "units": 8, "activation": "tanh", "bias": false },
            { "name": "same", "kind": "scale", "inputs": [{ "from": "h2", "tick": "same" }], "factor": 0.5 },
            { "name": "pi", "kind": "categorical-head", "inputs": [{ "from": "same", "tick": "previous" }], "units": 3 }
          ]
        }
        """;

    [Fact]
    public void ParsesLayersTimingsAndAttributes()
    {
        var graph = GraphJson.Parse(Skip);

        Assert.Equal(6, graph.Layers.Count);
        Assert.Equal(TickTiming.PreviousTick, graph["cat"].Inputs[1].Timing);
        Assert.Equal(TickTiming.SameTick, graph["same"].Inputs[0].Timing);
        Assert.Equal(TickTiming.PreviousTick, graph["pi"].Inputs[0].Timing);
        Assert.Equal(Activation.Tanh, graph["h2"].Spec.Activation);
        Assert.Equal(13 * 8, graph["h2"].ParameterCount);
        Assert.Equal(0.5f, graph["same"].Spec.Factor);
    }

    [Fact]
    public void WriteThenParseGivesTheSameGraph()
    {
        var graph = GraphJson.Parse(Skip);
        var again = GraphJson.Parse(GraphJson.Write(graph));

        Assert.Equal(GraphJson.Write(graph), GraphJson.Write(again));
        Assert.Equal(graph.Layers.Select(l => l.Inputs.ToArray()), again.Layers.Select(l => l.Inputs.ToArray()));
        Assert.Equal(graph.ParameterCount, again.ParameterCount);
        Assert.False(again["h2"].Spec.Bias);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "\"layers\" array")]
    [InlineData("""{"layers":[{"name":"x","kind":"input","shape":[2],"unit":3}]}""", "unknown property \"unit\"")]
    [InlineData("""{"layers":[{"name":"x","kind":"linear"}]}""", "unknown kind \"linear\"")]
    [InlineData("""{"layers":[{"name":"x","kind":"input","shape":[2]},{"name":"p","kind":"categorical-head","units":2,"inputs":[{"from":"x","tick":"later"}]}]}""", "\"same\" or \"previous\"")]
    [InlineData("""{"layers":[{"name":"x","kind":"input","shape":[2]},{"name":"p","kind":"categorical-head","units":"two","inputs":["x"]}]}""", "\"units\" must be an integer")]
    [InlineData("""{"layers":[{"kind":"input","shape":[2]}]}""", "needs a \"name\"")]
    [InlineData("""{"layers":[{"name":"x","kind":"input","shape":[65536,65536]},{"name":"p","kind":"categorical-head","units":2,"inputs":["x"]}]}""", "more than 2,147,483,647 elements")]
    [InlineData("""{"layers":[{"name":"x","kind":"input","shape":[100000]},{"name":"p","kind":"categorical-head","units":100000,"inputs":["x"]}]}""", "would have 10,000,100,000 parameters")]
    [InlineData("""{"layers":[{"name":"x","kind":"input","shape":[4]},{"name":"p","kind":"gaussian-head","units":2000000000,"inputs":["x"]}]}""", "would have 4,000,000,000 outputs")]
    [InlineData("""{"layers":[{"name":"x","kind":"input","shape":[4,4,1]},{"name":"c","kind":"conv2d","units":2,"kernel":3,"padding":2000000000,"inputs":["x"]},{"name":"f","kind":"flatten","inputs":["c"]},{"name":"p","kind":"categorical-head","units":2,"inputs":["f"]}]}""", "more than 2,147,483,647 elements")]
    public void MalformedDescriptionsSayWhatIsWrong(string json, string expected)
    {
        var ex = Assert.Throws<GraphException>(() => GraphJson.Parse(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
