using System.Numerics.Tensors;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;
using PipeRL.Tensors.Optim;

namespace PipeRL.Pipeline.Tests.Execution;

public sealed class SparseLayersTests
{
    /// <summary>Input 40 → dense 64 → dense 48 → 3-way head: both hidden layers take the sparse path at small batch.</summary>
    private static PipelineNetwork Mlp()
    {
        var b = new GraphBuilder();
        var h = b.Dense("fc1", b.Input("obs", 40), 64, PipeRL.Pipeline.Graph.Activation.Relu);
        h = b.Dense("fc2", h, 48, PipeRL.Pipeline.Graph.Activation.Relu);
        b.CategoricalHead("policy", h, 3);
        return new PipelineNetwork(b.Build(), new SeededRandom(5));
    }

    /// <summary>MinAtar-like inputs: each value 1 with probability <paramref name="density"/>, else 0.</summary>
    private static float[][] BinaryInputs(int size, int ticks, double density, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return [.. Enumerable.Range(0, ticks).Select(_ => Enumerable.Range(0, size).Select(_ => rng.NextDouble() < density ? 1f : 0f).ToArray())];
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + MathF.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    /// <summary>One Adam step that moves every parameter (and so announces a new version of each).</summary>
    private static void StepEveryParameter(PipelineNetwork network)
    {
        foreach (var p in network.Parameters)
        {
            p.Grad.Span.Fill(1f);
        }

        new Adam(network.Parameters, lr: 0.05f).Step();
    }

    [Theory]
    [InlineData("instant")]
    [InlineData("pipelined")]
    [InlineData("temporal-skip-aug")]
    public void SparseTicksMatchTheEngineTicks(string name)
    {
        var arch = Nets.Build(name, image: true);
        var network = Nets.Network(arch);
        var inputs = BinaryInputs(Nets.InputSize(arch), 6, 0.3, 4);
        var sparse = new PipelineExecutor(network, 1, arch.Mode);
        var engine = new PipelineExecutor(network, 1, arch.Mode, skipZeroInputs: false);
        foreach (var x in inputs)
        {
            sparse.Tick(x);
            engine.Tick(x);
            foreach (var layer in arch.Graph.Layers)
            {
                AssertClose(engine.Value(layer.Name), sparse.Value(layer.Name));
            }
        }
    }

    [Fact]
    public void EachRowOfABatchHasTheBitsOfBatchOne()
    {
        var network = Mlp();
        var inputs = BinaryInputs(3 * 40, 4, 0.4, 8);
        var batch = new PipelineExecutor(network, 3);
        var rows = Enumerable.Range(0, 3).Select(_ => new PipelineExecutor(network, 1)).ToArray();
        foreach (var x in inputs)
        {
            batch.Tick(x);
            for (var r = 0; r < 3; r++)
            {
                rows[r].Tick(x.AsSpan(r * 40, 40));
                Assert.True(batch.Value("fc2").Slice(r * 48, 48).SequenceEqual(rows[r].Value("fc2")), $"row {r} differs");
            }
        }

        Assert.True(batch.Value("fc2").IndexOfAnyExcept(0f) >= 0);
    }

    [Fact]
    public void AnOptimizerStepReachesTheNextTick()
    {
        var network = Mlp();
        var x = BinaryInputs(40, 1, 0.5, 3)[0];
        var executor = new PipelineExecutor(network, 1, ExecutionMode.Instant);
        executor.Tick(x);
        var before = executor.Value("fc2").ToArray();
        StepEveryParameter(network);
        executor.Tick(x);
        var fresh = new PipelineExecutor(network, 1, ExecutionMode.Instant);
        fresh.Tick(x);

        Assert.NotEqual(before, executor.Value("fc2").ToArray());
        Assert.Equal(fresh.Value("fc2").ToArray(), executor.Value("fc2").ToArray());
    }

    [Fact]
    public void AnOptimizerStepReachesTheSplitLayersPanelledAndPackedWeights()
    {
        // A split fc1 reads its own (panelled) copy of the weight, rebuilt apart from the plain one; a batch-1 conv its packed one.
        var arch = ArchitectureCatalogue.Build("instant", new ArchitectureOptions { ObservationShape = [10, 10, 4], Actions = 6 });
        var network = new PipelineNetwork(arch.Graph, new SeededRandom(4));
        var x = BinaryInputs(arch.Graph[arch.Input].OutputSize, 1, 0.1, 8)[0];
        using var pool = new WorkerPool(2);
        var parallel = new PipelineExecutor(network, 1, arch.Mode, pool);
        parallel.Tick(x);
        var before = parallel.Value("fc1").ToArray();
        StepEveryParameter(network);
        parallel.Tick(x);
        var fresh = new PipelineExecutor(network, 1, arch.Mode);
        fresh.Tick(x);

        Assert.NotEqual(before, parallel.Value("fc1").ToArray());
        Assert.Equal(fresh.Value("fc1").ToArray(), parallel.Value("fc1").ToArray());

        // The executors share the network's weight copies, so the first conv is checked against the module itself.
        var first = arch.Graph.Layers.First(l => l.Kind == LayerKind.Conv2d);
        var conv = (Conv2d)network.Module(first.Index)!;
        var expected = new float[first.OutputSize];
        conv.Infer(x, expected, 1, 10, 10);
        TensorPrimitives.Max(expected, 0f, expected);
        Assert.Equal(expected, parallel.Value(first.Name).ToArray());
    }

    [Fact]
    public void AWeightWrittenDirectlyIsReadAfterMarkChanged()
    {
        var network = Mlp();
        var x = BinaryInputs(40, 1, 0.5, 6)[0];
        var executor = new PipelineExecutor(network, 1, ExecutionMode.Instant);
        var engine = new PipelineExecutor(network, 1, ExecutionMode.Instant, skipZeroInputs: false);
        executor.Tick(x);
        var weight = network.ParametersOf("fc1")[0];
        var span = weight.Value.Span;
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = -span[i];
        }

        weight.MarkChanged();
        executor.Tick(x);
        engine.Tick(x);

        AssertClose(engine.Value("fc1"), executor.Value("fc1"));
    }

    [Theory]
    [InlineData("instant", 1)]
    [InlineData("pipelined", 1)]
    [InlineData("pipelined", 3)]
    [InlineData("temporal-skip-aug", 1)]
    [InlineData("cnn-skipres", 6)]
    [InlineData("pipelined", 20)]
    public void SplittingThePaperActorsBigLayersOverThreadsKeepsEveryBit(string name, int batch)
    {
        // The authors' MinAtar torso (fc1 has 6400 or more inputs) is big enough for its layers to be split.
        var arch = ArchitectureCatalogue.Build(name, new ArchitectureOptions { ObservationShape = [10, 10, 4], Actions = 6 });
        var network = new PipelineNetwork(arch.Graph, new SeededRandom(2));
        var inputs = BinaryInputs(batch * arch.Graph[arch.Input].OutputSize, 4, 0.1, 7);
        using var pool = new WorkerPool(2);
        var sequential = new PipelineExecutor(network, batch, arch.Mode);
        PipelineExecutor[] parallel =
        [
            new(network, batch, arch.Mode, pool),
            new(network, batch, arch.Mode, pool, scheduling: TickScheduling.Parallel),
        ];
        foreach (var x in inputs)
        {
            sequential.Tick(x);
            foreach (var executor in parallel)
            {
                executor.Tick(x);
                foreach (var layer in arch.Graph.Layers)
                {
                    Assert.True(sequential.Value(layer.Name).SequenceEqual(executor.Value(layer.Name)), $"layer {layer.Name} differs ({executor.Schedule.Describe()[0]})");
                }
            }
        }

        Assert.True(parallel[0].Output(arch.PolicyHead).IndexOfAnyExcept(0f) >= 0);
        Assert.True(parallel[0].Schedule.Threads > 1, "the paper actors' big layers are worth a second thread");
    }
}
