using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;

namespace PipeRL.Pipeline.Tests.Execution;

public sealed class FusedTickExecutorTests
{
    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + MathF.Abs(expected[i])), $"{what} element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Theory]
    [InlineData(FusedLayout.Dense, 1, false)]
    [InlineData(FusedLayout.BlockSparse, 1, false)]
    [InlineData(FusedLayout.Dense, 3, false)]
    [InlineData(FusedLayout.BlockSparse, 3, true)]
    public void TheFusedTickActsLikeTheLayerByLayerTickAtEveryTick(FusedLayout layout, int batch, bool continuous)
    {
        var arch = ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [5], Actions = 3, ContinuousActions = continuous, HiddenLayers = 3, Width = 8 });
        var network = Nets.Network(arch);
        var inputs = Nets.Inputs(batch * Nets.InputSize(arch), 8, 4);
        var layers = new PipelineExecutor(network, batch);
        var fused = new FusedTickExecutor(network, batch, layout);
        for (var t = 0; t < inputs.Length; t++)
        {
            layers.Tick(inputs[t]);
            fused.Tick(inputs[t]);
            AssertClose(layers.Output(arch.PolicyHead), fused.Output(arch.PolicyHead), $"tick {t}");
        }

        // The observation has reached the head (delay 4), so the outputs compared above were not all the biases alone.
        Assert.NotEqual(layers.Output(arch.PolicyHead).ToArray(), new PipelineExecutor(network, batch).Output(arch.PolicyHead).ToArray());
    }

    [Fact]
    public void AWeightChangedBetweenTicksReachesTheDenseCopy()
    {
        var arch = ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [5], Actions = 3, HiddenLayers = 2, Width = 8 });
        var network = Nets.Network(arch);
        var inputs = Nets.Inputs(Nets.InputSize(arch), 6, 5);
        var layers = new PipelineExecutor(network, 1);
        var fused = new FusedTickExecutor(network, 1, FusedLayout.Dense);
        for (var t = 0; t < inputs.Length; t++)
        {
            if (t == 3)
            {
                var weight = network.ParametersOf("fc2")[0];
                weight.Value.Span[0] += 1f;
                weight.MarkChanged();
            }

            layers.Tick(inputs[t]);
            fused.Tick(inputs[t]);
            AssertClose(layers.Output(arch.PolicyHead), fused.Output(arch.PolicyHead), $"tick {t}");
        }
    }

    [Fact]
    public void AGraphThatIsNotAPipelinedMlpIsRefusedByName()
    {
        var arch = ArchitectureCatalogue.Build("temporal-skip", new ArchitectureOptions { ObservationShape = [5], Actions = 3, HiddenLayers = 2, Width = 8 });

        var ex = Assert.Throws<ArgumentException>(() => new FusedTickExecutor(Nets.Network(arch), 1, FusedLayout.Dense));
        Assert.Contains("MLPs of dense layers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TickExecutorsAreCreatedByNameAndAnUnknownNameListsTheValidOnes()
    {
        var arch = ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [5], Actions = 3, HiddenLayers = 2, Width = 8 });
        var network = Nets.Network(arch);

        Assert.IsType<FusedTickExecutor>(TickExecutors.Create("fused-sparse", network, 1));
        Assert.IsType<PipelineExecutor>(TickExecutors.Create("layers", network, 2));
        Assert.Contains("needs a worker pool", Assert.Throws<ArgumentException>(() => TickExecutors.Create("parallel", network, 1)).Message, StringComparison.Ordinal);
        using var pool = new PipeRL.Tensors.WorkerPool(2);
        var always = Assert.IsType<PipelineExecutor>(TickExecutors.Create("parallel-always", network, 1, pool));
        Assert.Contains(always.Schedule.Waves, w => w.Split != WaveSplit.OneThread);
        Assert.Contains("layers, parallel, parallel-always, parallel-overlapped, fused-dense, fused-sparse", Assert.Throws<ArgumentException>(() => TickExecutors.Create("gpu", network, 1)).Message, StringComparison.Ordinal);
    }
}
