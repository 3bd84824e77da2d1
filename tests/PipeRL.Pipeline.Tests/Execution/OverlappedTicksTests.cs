using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Tests.Execution;

/// <summary>Ticks that return before their workers are done (<see cref="PipelineExecutor.OverlapsTicks"/>).</summary>
public sealed class OverlappedTicksTests
{
    [Theory]
    [InlineData(4, new[] { "fc1" })]
    [InlineData(8, new[] { "fc1", "fc2", "fc3" })]
    public void TheCallerComputesBeforeItWaitsItsLayersThatNoWorkerReadsAndThatReadNoWorker(int layers, string[] early)
    {
        // fc1..fc(N/2) on the caller, the rest on the worker: the caller's last layer is what the worker's first reads.
        var network = Nets.Mlp(layers, 256);
        using var pool = new WorkerPool(2);
        var executor = new PipelineExecutor(network, 1, workers: pool, overlapTicks: true);

        Assert.True(executor.OverlapsTicks);
        Assert.Equal(early, executor.Scheduler.EarlyLayers.Select(l => network.Graph.Layers[l].Name));
    }

    [Fact]
    public void OnlyASplitPipelinedTickWhoseWorkersReadNoPreviousInputOverlaps()
    {
        using var pool = new WorkerPool(2);
        var mlp = Nets.Mlp(4, 256);
        Assert.False(new PipelineExecutor(mlp, 1, overlapTicks: true).OverlapsTicks);
        Assert.False(new PipelineExecutor(mlp, 1, ExecutionMode.Instant, pool, overlapTicks: true).OverlapsTicks);
        Assert.False(new PipelineExecutor(mlp, 1, workers: pool).OverlapsTicks);
        Assert.False(new PipelineExecutor(Nets.Mlp(4, 16), 1, workers: pool, overlapTicks: true).OverlapsTicks);

        // temporal-skip feeds the observation into every layer, the worker's too, at the previous tick.
        var skip = new PipelineNetwork(ArchitectureCatalogue.Build("temporal-skip", new ArchitectureOptions { ObservationShape = [256], Actions = 256, HiddenLayers = 3, Width = 256 }).Graph, new SeededRandom(3));
        var skipped = new PipelineExecutor(skip, 1, workers: pool, scheduling: TickScheduling.Parallel, overlapTicks: true);
        Assert.NotEqual(1, skipped.Schedule.Threads);
        Assert.False(skipped.OverlapsTicks);
    }

    [Theory]
    [MemberData(nameof(Nets.Catalogue), MemberType = typeof(Nets))]
    public void ForcedOverlappedTicksKeepEveryBitOfTheSequentialExecutor(string name, bool image)
    {
        // Layers wide enough for the tick paths (dense at 16 outputs or more, convs at batch 1), where ticks may overlap; the
        // sequential executor of the same network ticks while the overlapped one's workers still run.
        var arch = image ? Nets.Build(name, image) : ArchitectureCatalogue.Build(name, new ArchitectureOptions { ObservationShape = [24], Actions = 20, HiddenLayers = 3, Width = 32 });
        var batch = image ? 1 : 2;
        var network = Nets.Network(arch);
        using var pool = new WorkerPool(2);
        var sequential = new PipelineExecutor(network, batch, arch.Mode);
        var overlapped = new PipelineExecutor(network, batch, arch.Mode, pool, scheduling: TickScheduling.Parallel, overlapTicks: true);
        AssertSameTicks(arch.Graph.Heads.Select(h => arch.Graph.Layers[h].Name), sequential, overlapped, Nets.Inputs(batch * Nets.InputSize(arch), 32, 5), 400);
    }

    [Theory]
    [InlineData(4, 256, 1, TickScheduling.Parallel)]
    [InlineData(8, 64, 2, TickScheduling.Parallel)]
    [InlineData(4, 256, 1, TickScheduling.Auto)]
    [InlineData(8, 256, 1, TickScheduling.Auto)]
    public void OverlappedTicksOfTheBenchNetworksKeepEveryBit(int layers, int width, int batch, TickScheduling scheduling)
    {
        // Auto: the timing check moves ticks between the caller and the split, so some ticks join before they start.
        var network = Nets.Mlp(layers, width);
        using var pool = new WorkerPool(2);
        var sequential = new PipelineExecutor(network, batch);
        var overlapped = new PipelineExecutor(network, batch, workers: pool, scheduling: scheduling, overlapTicks: true);
        Assert.True(overlapped.OverlapsTicks);
        AssertSameTicks(["policy"], sequential, overlapped, Nets.Inputs(batch * width, 16, 8), 4000);
    }

    [Fact]
    public void OverlappedExecutorsSharingAPoolTickInTurnWithEveryBit()
    {
        // Each one's tick waits in the pool for the other's open run: up to two runs stay open, of either executor.
        using var pool = new WorkerPool(2);
        var (small, big) = (Nets.Mlp(8, 64), Nets.Mlp(4, 256));
        var expected = new[] { new PipelineExecutor(small, 2), new PipelineExecutor(big, 1) };
        var actual = new[]
        {
            new PipelineExecutor(small, 2, workers: pool, scheduling: TickScheduling.Parallel, overlapTicks: true),
            new PipelineExecutor(big, 1, workers: pool, scheduling: TickScheduling.Parallel, overlapTicks: true),
        };
        Assert.All(actual, a => Assert.True(a.OverlapsTicks));
        var inputs = new[] { Nets.Inputs(2 * 64, 16, 5), Nets.Inputs(256, 16, 6) };
        for (var t = 0; t < 3000; t++)
        {
            for (var k = 0; k < 2; k++)
            {
                expected[k].Tick(inputs[k][t % 16]);
                actual[k].Tick(inputs[k][t % 16]);
                Assert.True(expected[k].Output("policy").SequenceEqual(actual[k].Output("policy")), $"executor {k}, tick {t}");
            }
        }
    }

    [Fact]
    public void AWeightChangedBeforeTheJoinThrowsAndAfterItIsReadByTheNextTick()
    {
        var network = Nets.Mlp(4, 256);
        using var pool = new WorkerPool(2);
        var sequential = new PipelineExecutor(network, 1);
        var overlapped = new PipelineExecutor(network, 1, workers: pool, scheduling: TickScheduling.Parallel, overlapTicks: true);
        var inputs = Nets.Inputs(256, 8, 4);
        var head = network.ParametersOf("policy")[0];
        for (var t = 0; t < 50; t++)
        {
            sequential.Tick(inputs[t % 8]);
            overlapped.Tick(inputs[t % 8]);
            Assert.True(sequential.Output("policy").SequenceEqual(overlapped.Output("policy")), $"tick {t}");

            // An optimizer step: both see it from the next tick on.
            overlapped.Join();
            head.Value.Span[t] += 0.5f;
            head.MarkChanged();
        }

        overlapped.Tick(inputs[0]);
        head.MarkChanged();
        var error = Assert.Throws<InvalidOperationException>(() => overlapped.Tick(inputs[1]));
        Assert.Contains("Join()", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Ticks both executors on <paramref name="inputs"/> in turn: every tick's heads, every 7th tick every layer's value
    /// (which joins the workers), and episode ends for some envs every 5th tick must be the same bits.
    /// </summary>
    private static void AssertSameTicks(IEnumerable<string> heads, PipelineExecutor expected, PipelineExecutor actual, float[][] inputs, int ticks)
    {
        var layers = Enumerable.Range(0, expected.State.Values.Length).ToArray();
        var done = new bool[expected.Batch];
        var rng = new SeededRandom(11);
        for (var t = 0; t < ticks; t++)
        {
            expected.Tick(inputs[t % inputs.Length]);
            actual.Tick(inputs[t % inputs.Length]);
            foreach (var head in heads)
            {
                Assert.True(expected.Output(head).SequenceEqual(actual.Output(head)), $"tick {t}, head {head}");
            }

            if (t % 7 == 3)
            {
                Assert.All(layers, l => Assert.True(expected.State.Values[l].AsSpan().SequenceEqual(actual.State.Values[l]), $"tick {t}, layer {l}"));
            }

            if (t % 5 == 4)
            {
                for (var env = 0; env < done.Length; env++)
                {
                    done[env] = rng.NextDouble() < 0.3;
                }

                expected.EndEpisodes(done, EpisodeBoundary.Reset);
                actual.EndEpisodes(done, EpisodeBoundary.Reset);
            }
        }
    }
}
