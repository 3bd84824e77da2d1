using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Tests.Execution;

public sealed class PoolExecutionTests
{
    private static PipelineGraph PooledGraph()
    {
        // conv -> max pool -> conv -> avg pool: pooling layers sit both behind a previous-tick and a same-tick edge.
        var b = new GraphBuilder();
        var x = b.Input("obs", 9, 8, 2);
        var c1 = b.Conv2d("c1", x, 4, 3, padding: 1, activation: PipeRL.Pipeline.Graph.Activation.Relu);
        var mp = b.Pool("mp", c1, PoolMode.Max, 2);
        var c2 = b.Conv2d("c2", mp, 3, 3, padding: 1, activation: PipeRL.Pipeline.Graph.Activation.Tanh);
        var ap = b.Pool("ap", c2, PoolMode.Average, 2);
        b.CategoricalHead("pi", b.Flatten("flat", ap), 3);
        return b.Build();
    }

    [Theory]
    [InlineData(ExecutionMode.Pipelined)]
    [InlineData(ExecutionMode.Instant)]
    public void StreamingExecutorEqualsTheUnrolledRun(ExecutionMode mode)
    {
        var network = new PipelineNetwork(PooledGraph(), new SeededRandom(11));
        const int batch = 2;
        var inputs = Nets.Inputs(batch * network.Graph["obs"].OutputSize, 6, 9);
        var executor = new PipelineExecutor(network, batch, mode);
        using var tape = new Tape();
        var run = new UnrolledPipeline(network, mode).Run(tape, [.. inputs.Select(x => Tensor.FromArray(x, new Shape(x.Length)))]);

        for (var t = 0; t < inputs.Length; t++)
        {
            executor.Tick(inputs[t]);
            var expected = executor.Output("pi");
            var actual = run.Output(t, "pi").Value.Span;
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + MathF.Abs(expected[i])), $"tick {t} element {i}: {expected[i]} vs {actual[i]}");
            }

            Assert.Equal([4, 4, 4], network.Graph["mp"].OutputShape);
            Assert.Equal([2, 2, 3], network.Graph["ap"].OutputShape);
        }
    }

    [Fact]
    public void StreamingMaxPoolTakesWindowMaxima()
    {
        var b = new GraphBuilder();
        var x = b.Input("obs", 2, 2, 1);
        var mp = b.Pool("mp", x, PoolMode.Max, 2);
        b.CategoricalHead("pi", b.Flatten("flat", mp), 2);
        var executor = new PipelineExecutor(new PipelineNetwork(b.Build(), new SeededRandom(1)), 2);

        executor.Tick([0.5f, -1f, 2f, 1f, -3f, -2f, -4f, -5f]);

        Assert.Equal(new[] { 2f, -2f }, executor.Value("mp").ToArray());
    }
}
