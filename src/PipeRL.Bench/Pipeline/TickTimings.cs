using System.Globalization;
using PipeRL.Bench.Harness;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Bench.Pipeline;

/// <summary>
/// <c>piperl inspect --timings</c>: what an executor with a worker pool chose for a network's tick (threads, and the layers
/// or shares each computes), and its measured tick beside the one-thread tick (and the overlapped tick, where it applies),
/// measured in turn.
/// </summary>
public static class TickTimings
{
    /// <summary>The schedule and the timings of <paramref name="network"/> at <paramref name="batch"/> with a pool of <paramref name="threads"/>.</summary>
    public static IReadOnlyList<string> Measure(PipelineNetwork network, ExecutionMode mode, int batch, int threads, BenchRunner runner)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(runner);
        using var pool = new WorkerPool(threads);
        var graph = network.Graph;
        var inputs = graph.Inputs.Select(i => (Name: graph.Layers[i].Name, Values: new float[batch * graph.Layers[i].OutputSize])).ToArray();
        var rng = new SeededRandom(17);
        foreach (var input in inputs)
        {
            rng.FillUniform(input.Values, -1, 1);
        }

        var oneThread = new PipelineExecutor(network, batch, mode);
        var scheduled = new PipelineExecutor(network, batch, mode, pool);
        var overlapped = new PipelineExecutor(network, batch, mode, pool, overlapTicks: true);
        var results = PipelineBench.MeasureWithOverlapped(
            runner,
            [
                new BenchCase("one thread", () => Tick(oneThread, inputs)),
                new BenchCase("scheduled", () => Tick(scheduled, inputs)),
            ],
            overlapped,
            new BenchCase("overlapped", () => Tick(overlapped, inputs)));
        var parts = PipelineBench.TimeParts(scheduled, results[0].Median);
        var ceiling = ForkJoinCeiling.Measure(pool, results[0].Median / 2);
        string[] partLines = parts.Count == 0 ? [] :
        [
            string.Create(CultureInfo.InvariantCulture, $"each thread's part of a split tick alone on the caller: {string.Join(", ", parts.Select(p => $"{p * 1e6:0.0}"))} us; ")
                + PipelineBench.SplitCost(scheduled, parts, results[1].Median),
        ];
        return
        [
            string.Create(CultureInfo.InvariantCulture, $"Tick timings at batch {batch} with a pool of {threads} threads (cost model's choice, then measured in turn):"),
            .. scheduled.Schedule.Describe(),
            string.Create(CultureInfo.InvariantCulture, $"measured: one thread {results[0].Median * 1e6:0.0} us (min {results[0].Min * 1e6:0.0}), with the pool {results[1].Median * 1e6:0.0} us (min {results[1].Min * 1e6:0.0}): {results[0].Median / results[1].Median:0.00}x"),
            .. partLines,
            results.Count > 2
                ? string.Create(CultureInfo.InvariantCulture, $"overlapped ticks (the worker's layers a tick behind the caller's; for inference, see PipelineExecutor.OverlapsTicks): {results[2].Median * 1e6:0.0} us (min {results[2].Min * 1e6:0.0}): {results[0].Median / results[2].Median:0.00}x, {overlapped.SplitTickShare:0%} of its ticks split")
                : "overlapped ticks: not for this tick (they need one wave of whole layers on the tick paths, none of the worker's reading the input at the previous tick)",
            PipelineBench.CeilingNote(results[0].Median, ceiling) + " (an equal split whose only cost is the fork and the join)",
            string.Create(CultureInfo.InvariantCulture, $"{scheduled.SplitTickShare:0%} of the pool's ticks ran as scheduled; ") + (scheduled.RunsAsScheduled
                ? "the last timing check kept the schedule (it re-checks against one thread every 4096 ticks or quarter second, or after 49 times its own time and ticks if that is longer)"
                : "the last timing check found one thread faster, so ticks run on the caller until the next check"),
        ];
    }

    private static void Tick(PipelineExecutor executor, (string Name, float[] Values)[] inputs)
    {
        foreach (var (name, values) in inputs)
        {
            executor.SetInput(name, values);
        }

        executor.Tick();
    }
}
