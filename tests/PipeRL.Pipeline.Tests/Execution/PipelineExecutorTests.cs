using PipeRL.Pipeline.Analysis;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;
using PipeRL.Tests;

namespace PipeRL.Pipeline.Tests.Execution;

public sealed class PipelineExecutorTests
{
    public static IEnumerable<object[]> Catalogue() => Nets.Catalogue();

    private static float[][] Outputs(PipelineExecutor executor, float[][] inputs, string head)
    {
        var outputs = new float[inputs.Length][];
        for (var t = 0; t < inputs.Length; t++)
        {
            executor.Tick(inputs[t]);
            outputs[t] = executor.Output(head).ToArray();
        }

        return outputs;
    }

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void ImpulseReachesTheActionExactlyAtTheAnalysedDelays(string name, bool image)
    {
        var arch = Nets.Build(name, image);
        var network = Nets.Network(arch);
        var report = arch.Delays();
        const int t0 = 2;
        var ticks = t0 + (report.ReceptiveWindow ?? report.MinimumDelay) + 4;
        var baseline = Nets.Inputs(Nets.InputSize(arch), ticks, 11);
        var impulse = baseline.Select(x => (float[])x.Clone()).ToArray();
        for (var i = 0; i < impulse[t0].Length; i++)
        {
            impulse[t0][i] += 0.5f;
        }

        var a = Outputs(new PipelineExecutor(network, 1, arch.Mode), baseline, arch.PolicyHead);
        var b = Outputs(new PipelineExecutor(network, 1, arch.Mode), impulse, arch.PolicyHead);
        var measured = Enumerable.Range(0, ticks).Where(t => !a[t].AsSpan().SequenceEqual(b[t])).Select(t => t - t0).ToList();

        Assert.Equal(report.MinimumDelay, measured[0]);
        if (report.ReceptiveWindow is null)
        {
            Assert.Equal(ticks - 1 - t0, measured[^1]);
        }
        else
        {
            Assert.Equal(report.Delays, measured);
        }
    }

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void PipelinedOnAConstantInputSettlesToTheInstantOutput(string name, bool image)
    {
        var arch = Nets.Build(name, image);
        if (DelayAnalysis.Analyze(arch.Graph, arch.Input, arch.PolicyHead).ReceptiveWindow is not { } window)
        {
            return;
        }

        var network = Nets.Network(arch);
        var x = Nets.Inputs(Nets.InputSize(arch), 1, 5)[0];
        var pipelined = new PipelineExecutor(network, 1, ExecutionMode.Pipelined);
        var instant = new PipelineExecutor(network, 1, ExecutionMode.Instant);
        instant.Tick(x);

        // The action of tick T-1 reads inputs of ticks T-1-d for every delay d <= window: all of them real once T = window + 1.
        for (var t = 0; t <= window; t++)
        {
            pipelined.Tick(x);
        }

        var settled = pipelined.Output(arch.PolicyHead).ToArray();
        Assert.Equal(instant.Output(arch.PolicyHead).ToArray(), settled);
        if (window >= 1)
        {
            var early = new PipelineExecutor(network, 1, ExecutionMode.Pipelined);
            for (var t = 0; t < window; t++)
            {
                early.Tick(x);
            }

            Assert.NotEqual(settled, early.Output(arch.PolicyHead).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void ParallelTicksAreBitIdenticalToSequentialOnes(string name, bool image)
    {
        var arch = Nets.Build(name, image);
        var network = Nets.Network(arch);
        const int batch = 3;
        var inputs = Nets.Inputs(batch * Nets.InputSize(arch), 6, 3);
        using var pool = new WorkerPool(2);
        var sequential = new PipelineExecutor(network, batch, arch.Mode);
        var parallel = new PipelineExecutor(network, batch, arch.Mode, pool, scheduling: TickScheduling.Parallel);
        foreach (var x in inputs)
        {
            sequential.Tick(x);
            parallel.Tick(x);
            foreach (var layer in arch.Graph.Layers)
            {
                Assert.True(sequential.Value(layer.Name).SequenceEqual(parallel.Value(layer.Name)), $"layer {layer.Name} differs");
            }
        }
    }

    [Fact]
    public void BatchRowsAreIndependentAndResetZeroesOneEnv()
    {
        var arch = Nets.Build("temporal-skip", image: false);
        var network = Nets.Network(arch);
        var size = Nets.InputSize(arch);
        var inputs = Nets.Inputs(2 * size, 5, 9);
        var pair = new PipelineExecutor(network, 2);
        var single = new PipelineExecutor(network, 1);
        var fresh = new PipelineExecutor(network, 1);
        for (var t = 0; t < inputs.Length; t++)
        {
            if (t == 3)
            {
                pair.EndEpisodes([false, true], EpisodeBoundary.Reset);
                Assert.True(pair.State.Value("fc2").Slice(8, 8).IndexOfAnyExcept(0f) < 0);
                Assert.True(pair.State.Value("fc2").Slice(0, 8).IndexOfAnyExcept(0f) >= 0);
            }

            pair.Tick(inputs[t]);
            single.Tick(inputs[t].AsSpan(0, size));
            if (t >= 3)
            {
                fresh.Tick(inputs[t].AsSpan(size, size));
            }
        }

        // The engine's matrix kernels may round differently for 1 and 2 rows, so rows agree to float precision.
        var both = pair.Output(arch.PolicyHead).ToArray();
        AssertClose(both[..3], single.Output(arch.PolicyHead).ToArray());
        AssertClose(both[3..], fresh.Output(arch.PolicyHead).ToArray());
        Assert.False(both.AsSpan(3).SequenceEqual(single.Output(arch.PolicyHead)));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void CarryKeepsTheValuesAcrossAnEpisodeBoundary()
    {
        var arch = Nets.Build("pipelined", image: false);
        var executor = new PipelineExecutor(Nets.Network(arch), 1);
        executor.Tick(Nets.Inputs(Nets.InputSize(arch), 1, 2)[0]);
        var before = executor.State.Value("fc1").ToArray();

        executor.EndEpisodes([true], EpisodeBoundary.Carry);

        Assert.Equal(before, executor.State.Value("fc1").ToArray());
    }

    [Theory]
    [InlineData("cnn-skipres", true)]
    [InlineData("lstm", false)]
    public void TicksAllocateNothingOnceWarm(string name, bool image)
    {
        var arch = Nets.Build(name, image);
        var input = Nets.Inputs(4 * Nets.InputSize(arch), 1, 1)[0];
        using var pool = new WorkerPool(2);
        foreach (var workers in new[] { null, pool })
        {
            var executor = new PipelineExecutor(Nets.Network(arch), 4, arch.Mode, workers, scheduling: TickScheduling.Parallel);
            executor.Tick(input);
            executor.Tick(input);
            Assert.Equal(0, Allocation.InSteadyLoop(() =>
            {
                for (var t = 0; t < 20; t++)
                {
                    executor.Tick(input);
                    _ = executor.Output(arch.PolicyHead);
                }
            }));
        }
    }

    [Fact]
    public void TimingTheThreadsPartsLeavesTheStateAndLaterTicksBitForBit()
    {
        var network = new PipelineNetwork(
            ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [256], Actions = 256, HiddenLayers = 7, Width = 256 }).Graph,
            new SeededRandom(5));
        using var pool = new WorkerPool(2);
        var sequential = new PipelineExecutor(network, 1);
        var parallel = new PipelineExecutor(network, 1, workers: pool, scheduling: TickScheduling.Parallel);
        Assert.Throws<InvalidOperationException>(() => parallel.TimeThreadParts(1));
        var inputs = Nets.Inputs(256, 8, 6);
        for (var t = 0; t < inputs.Length; t++)
        {
            sequential.Tick(inputs[t]);
            parallel.Tick(inputs[t]);
            if (t == 3)
            {
                var parts = parallel.TimeThreadParts(5);
                Assert.Equal(2, parts.Count);
                Assert.All(parts, seconds => Assert.True(seconds > 0));
                Assert.Empty(sequential.TimeThreadParts(5));
            }

            Assert.True(sequential.Output("policy").SequenceEqual(parallel.Output("policy")), $"tick {t}");
            Assert.True(sequential.Value("fc4").SequenceEqual(parallel.Value("fc4")), $"tick {t}");
        }
    }

    [Fact]
    public void WrongInputSizeSaysWhatItNeeds()
    {
        var arch = Nets.Build("pipelined", image: false);
        var executor = new PipelineExecutor(Nets.Network(arch), 2);

        var ex = Assert.Throws<ArgumentException>(() => executor.Tick(new float[5]));
        Assert.Contains("takes 10 values (2 x 5)", ex.Message, StringComparison.Ordinal);
    }
}
