using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Tests.Execution;

public sealed class TickSchedulerTests
{
    [Theory]
    [InlineData(4, 16, 1)]
    [InlineData(4, 64, 1)]
    [InlineData(2, 16, 64)]
    public void ATickTooShortForAForkStaysOnOneThread(int layers, int width, int batch)
    {
        using var pool = new WorkerPool(2);
        var schedule = new PipelineExecutor(Nets.Mlp(layers, width), batch, workers: pool).Schedule;

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
        var schedule = new PipelineExecutor(Nets.Mlp(layers, width), batch, workers: pool).Schedule;

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
        var schedule = new PipelineExecutor(Nets.Mlp(8, 256), 1, workers: pool).Schedule;

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
        var big = new PipelineExecutor(Nets.Mlp(3, 1024), 1, ExecutionMode.Instant, pool).Schedule;
        var small = new PipelineExecutor(Nets.Mlp(3, 32), 1, ExecutionMode.Instant, pool).Schedule;

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

    [Theory]
    [InlineData(4, 256, ExecutionMode.Pipelined, WaveSplit.WholeLayers)]
    [InlineData(3, 1024, ExecutionMode.Instant, WaveSplit.Shares)]
    public void TicksThatTheTimingCheckMovesBetweenThreadsAndTheCallerKeepEveryBit(int layers, int width, ExecutionMode mode, WaveSplit split)
    {
        // The check times a block of split ticks, then as many on the caller (where layers split in shares read the plain
        // weight copy instead of the panelled one), then keeps one way: every tick must give the sequential executor's bits.
        var network = Nets.Mlp(layers, width);
        using var pool = new WorkerPool(2);
        var sequential = new PipelineExecutor(network, 1, mode);
        var auto = new PipelineExecutor(network, 1, mode, pool);
        Assert.Contains(auto.Schedule.Waves, w => w.Split == split);
        var inputs = Nets.Inputs(width, 16, 8);
        var afterProbe = 0;
        for (var t = 0; t < 10_000 && afterProbe < 64; t++)
        {
            sequential.Tick(inputs[t % inputs.Length]);
            auto.Tick(inputs[t % inputs.Length]);
            Assert.True(sequential.Output("policy").SequenceEqual(auto.Output("policy")), $"tick {t}");
            afterProbe += auto.SplitTickShare < 1 ? 1 : 0;
        }

        Assert.InRange(auto.SplitTickShare, 0.01, 0.99);
    }

    [Theory]
    [MemberData(nameof(Nets.Catalogue), MemberType = typeof(Nets))]
    public void TheThreadsPartsRunAloneComputeTheWholeTick(string name, bool image)
    {
        var arch = Nets.Build(name, image);
        using var pool = new WorkerPool(2);
        var executor = new PipelineExecutor(Nets.Network(arch), 1, arch.Mode, pool, scheduling: TickScheduling.Parallel);
        var scheduler = executor.Scheduler;
        if (executor.Schedule.Threads == 1)
        {
            // A chain of tiny layers (an instant MLP) stays on the caller even when forced: nothing to split.
            Assert.False(scheduler.CanRunThreadParts);
            return;
        }

        Assert.True(scheduler.CanRunThreadParts, string.Join('\n', executor.Schedule.Describe()));
        foreach (var input in Nets.Inputs(Nets.InputSize(arch), 3, 4))
        {
            executor.Tick(input);
        }

        var computing = arch.Graph.Layers.Where(l => l.IsComputing).Select(l => l.Index).ToArray();
        var expected = computing.Select(l => executor.State.Values[l].ToArray()).ToArray();
        foreach (var l in computing)
        {
            executor.State.Values[l].AsSpan().Fill(float.NaN);
        }

        // A thread's part of a later wave reads what both threads computed in earlier waves (a split tick joins between
        // waves), so the parts run in turn once per wave; a value that no part computes stays NaN.
        var computed = new int[2];
        for (var round = 0; round < executor.Schedule.Waves.Count; round++)
        {
            for (var thread = 0; thread < 2; thread++)
            {
                var before = computing.Sum(l => executor.State.Values[l].Count(v => !float.IsNaN(v)));
                scheduler.RunThreadPart(thread);
                computed[thread] += round == 0 ? computing.Sum(l => executor.State.Values[l].Count(v => !float.IsNaN(v))) - before : 0;
            }
        }

        Assert.All(computed, c => Assert.True(c > 0, $"values computed by each thread's part: {string.Join(", ", computed)}"));
        for (var i = 0; i < computing.Length; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(executor.State.Values[computing[i]]), arch.Graph.Layers[computing[i]].Name);
        }
    }

    [Fact]
    public void AScheduleOnOneThreadOrWithoutAPoolHasNoThreadPartsToRunAlone()
    {
        using var pool = new WorkerPool(2);
        Assert.False(new PipelineExecutor(Nets.Mlp(4, 16), 1, workers: pool).Scheduler.CanRunThreadParts);
        Assert.False(new PipelineExecutor(Nets.Mlp(8, 1024), 1).Scheduler.CanRunThreadParts);
        Assert.True(new PipelineExecutor(Nets.Mlp(8, 1024), 1, workers: pool).Scheduler.CanRunThreadParts);
    }

    [Fact]
    public void WithoutAPoolEveryWaveRunsOnTheCaller()
    {
        var schedule = new PipelineExecutor(Nets.Mlp(8, 1024), 1).Schedule;

        Assert.Equal(1, schedule.PoolThreads);
        Assert.Equal(1, schedule.Threads);
        Assert.StartsWith("tick on 1 of 1 thread(s)", schedule.Describe()[0], StringComparison.Ordinal);
    }
}
