using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Tests.Execution;

public sealed class TickSchedulerTests
{
    /// <summary>A pipelined MLP of <paramref name="layers"/> equal layers (the bench's).</summary>
    private static PipelineNetwork Mlp(int layers, int width) => new(
        ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [width], Actions = width, HiddenLayers = layers - 1, Width = width }).Graph,
        new SeededRandom(3));

    [Theory]
    [InlineData(4, 16, 1)]
    [InlineData(4, 64, 1)]
    [InlineData(2, 16, 64)]
    public void ATickTooShortForAForkStaysOnOneThread(int layers, int width, int batch)
    {
        using var pool = new WorkerPool(2);
        var schedule = new PipelineExecutor(Mlp(layers, width), batch, workers: pool).Schedule;

        Assert.Equal(1, schedule.Threads);
        Assert.All(schedule.Waves, w => Assert.Equal(WaveSplit.OneThread, w.Split));
        Assert.Equal(schedule.OneThreadMicroseconds, schedule.EstimatedMicroseconds);
    }

    [Theory]
    [InlineData(4, 256, 1)]
    [InlineData(8, 256, 1)]
    [InlineData(8, 1024, 1)]
    [InlineData(4, 256, 64)]
    [InlineData(8, 1024, 64)]
    public void EqualLayersOfAPipelinedTickGoWholeToTheThreadsHalfEach(int layers, int width, int batch)
    {
        using var pool = new WorkerPool(2);
        var schedule = new PipelineExecutor(Mlp(layers, width), batch, workers: pool).Schedule;

        var wave = Assert.Single(schedule.Waves);
        Assert.Equal(WaveSplit.WholeLayers, wave.Split);
        Assert.Equal([layers / 2, layers / 2], wave.Threads.Select(t => t.Count));
        Assert.True(schedule.EstimatedMicroseconds < 0.75 * schedule.OneThreadMicroseconds, string.Join('\n', schedule.Describe()));
    }

    [Fact]
    public void WholeLayersGoToEachThreadAsOneRunOfConsecutiveLayers()
    {
        // Each thread's layers read each other's values, not values the other core wrote last tick.
        using var pool = new WorkerPool(2);
        var schedule = new PipelineExecutor(Mlp(8, 256), 1, workers: pool).Schedule;

        var wave = Assert.Single(schedule.Waves);
        Assert.Equal(WaveSplit.WholeLayers, wave.Split);
        Assert.Equal(["fc1", "fc2", "fc3", "fc4"], wave.Threads[0]);
        Assert.Equal(["fc5", "fc6", "fc7", "policy"], wave.Threads[1]);
    }

    [Theory]
    [InlineData(new[] { 1.0, 1, 1, 1, 1, 1, 1, 1 }, 2, 4)]
    [InlineData(new[] { 1.0, 1, 1, 1, 1, 1, 1, 1 }, 3, 3)]
    [InlineData(new[] { 10.0, 1, 1, 10 }, 2, 11)]
    [InlineData(new[] { 10.0, 10, 1, 1 }, 2, 12)]
    [InlineData(new[] { 5.0, 1, 1, 1, 1, 1 }, 2, 5)]
    [InlineData(new[] { 3.0 }, 2, 3)]
    [InlineData(new double[0], 2, 0)]
    public void ConsecutiveRunsCoverTheItemsInOrderWithTheLeastLargestTotal(double[] costs, int parts, double largest)
    {
        var runs = TickScheduler.ConsecutiveRuns(costs, parts);

        Assert.Equal(parts, runs.Length);
        Assert.Equal(0, runs[0].From);
        Assert.Equal(costs.Length, runs[^1].To);
        for (var p = 1; p < parts; p++)
        {
            Assert.Equal(runs[p - 1].To, runs[p].From);
        }

        Assert.Equal(largest, runs.Max(r => costs[r.From..r.To].Sum()));
    }

    [Fact]
    public void AChainOfBigLayersSplitsEachLayerAndOfSmallOnesStaysOnTheCaller()
    {
        using var pool = new WorkerPool(2);
        var big = new PipelineExecutor(Mlp(3, 1024), 1, ExecutionMode.Instant, pool).Schedule;
        var small = new PipelineExecutor(Mlp(3, 32), 1, ExecutionMode.Instant, pool).Schedule;

        Assert.Equal(3, big.Waves.Count);
        Assert.All(big.Waves, w => Assert.Equal(WaveSplit.Shares, w.Split));
        Assert.Equal(["fc1 1/2"], big.Waves[0].Threads[0]);
        Assert.Equal(["policy 2/2"], big.Waves[2].Threads[1]);
        Assert.All(small.Waves, w => Assert.Equal(WaveSplit.OneThread, w.Split));
    }

    [Fact]
    public void ThePaperPipelinedActorSharesItsBigLayersAndEveryWaveIsEstimatedNoSlowerThanOneThread()
    {
        var arch = ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [10, 10, 4], Actions = 6 });
        using var pool = new WorkerPool(2);
        var schedule = new PipelineExecutor(new PipelineNetwork(arch.Graph, new SeededRandom(1)), 1, arch.Mode, pool).Schedule;

        Assert.Equal(2, schedule.Threads);
        var wave = schedule.Waves.Single(w => w.Split != WaveSplit.OneThread);
        Assert.Equal(WaveSplit.Shares, wave.Split);
        Assert.Contains("fc1 1/2", wave.Threads[0]);
        Assert.Contains("fc1 2/2", wave.Threads[1]);
        Assert.All(schedule.Waves, w => Assert.True(w.EstimatedNs <= w.OneThreadNs));
    }

    [Fact]
    public void TicksThatTheTimingCheckMovesBetweenThreadsAndTheCallerKeepEveryBit()
    {
        // The check alternates the schedule and the one-thread tick over its first 16 ticks, then keeps one of them.
        var network = Mlp(4, 256);
        using var pool = new WorkerPool(2);
        var sequential = new PipelineExecutor(network, 1);
        var auto = new PipelineExecutor(network, 1, workers: pool);
        var inputs = Nets.Inputs(256, 24, 8);
        foreach (var x in inputs)
        {
            sequential.Tick(x);
            auto.Tick(x);
            Assert.True(sequential.Output("policy").SequenceEqual(auto.Output("policy")));
        }

        Assert.Equal(2, auto.Schedule.Threads);
    }

    [Fact]
    public void WithoutAPoolEveryWaveRunsOnTheCaller()
    {
        var schedule = new PipelineExecutor(Mlp(8, 1024), 1).Schedule;

        Assert.Equal(1, schedule.PoolThreads);
        Assert.Equal(1, schedule.Threads);
        Assert.StartsWith("tick on 1 of 1 thread(s)", schedule.Describe()[0], StringComparison.Ordinal);
    }
}
