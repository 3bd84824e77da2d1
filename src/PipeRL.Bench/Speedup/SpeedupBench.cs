using System.Diagnostics;
using PipeRL.Bench.Harness;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Bench.Speedup;

/// <summary>
/// <c>piperl bench speedup</c>, the paper's Figure 1a on this machine: for each depth, the sequential forward pass of a
/// pipelined MLP (one layer after another on the current input, what a network that is not pipelined needs per action)
/// against each implementation of its pipelined tick (every layer on the previous tick's values), in a tight loop and
/// paced (one tick per interval, the machine idle between).
/// </summary>
public static class SpeedupBench
{
    /// <summary>The row name of the sequential forward pass.</summary>
    public const string Sequential = "sequential";

    /// <summary>The pipelined MLP of <paramref name="depth"/> dense layers (the head included) of <paramref name="options"/>.</summary>
    public static Architecture Network(int depth, SpeedupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions
        {
            ObservationShape = [options.Observation],
            Actions = options.Actions,
            ContinuousActions = true,
            HiddenLayers = depth - 1,
            Width = options.Width,
        });
    }

    /// <summary>
    /// Measures every depth and implementation; <paramref name="progress"/> gets one line per depth and pass. The fused
    /// dense tick, whose weight takes hundreds of megabytes from 21 layers on, is measured last, depth by depth in a pass of
    /// its own beside the sequential pass measured again: measured with the others, the depth after one with a big dense
    /// weight had its parallel row kept on one thread by its timing checks for most of the depth (docs/speed-log.md
    /// has the runs).
    /// </summary>
    public static IReadOnlyList<SpeedupRow> Run(BenchRunner runner, SpeedupOptions options, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(options);
        using var pool = new WorkerPool(options.Threads);
        var names = options.Implementations.Where(name => name != TickExecutors.FusedDense).ToArray();
        var depths = options.Depths.Distinct().ToArray();
        var byDepth = new Dictionary<int, List<SpeedupRow>>();
        foreach (var depth in depths)
        {
            byDepth[depth] = Pass(runner, options, depth, names, pool, progress);
        }

        if (options.Implementations.Contains(TickExecutors.FusedDense))
        {
            foreach (var depth in depths)
            {
                var sequential = byDepth[depth][0];
                byDepth[depth].Add(DenseBytes(depth, options) <= options.DenseLimitBytes
                    ? Pass(runner, options, depth, [TickExecutors.FusedDense], pool, progress)[1]
                    : sequential with { Implementation = TickExecutors.FusedDense, Median = double.NaN, Min = double.NaN, P90 = double.NaN, PacedMedian = double.NaN });
            }
        }

        // Per depth the sequential pass, then the implementations in the order asked for, a skipped one (fused dense past
        // its limit) last.
        return [.. depths.SelectMany(depth => byDepth[depth].Take(1)
            .Concat(options.Implementations.Select(name => byDepth[depth].First(r => r.Implementation == name)).OrderBy(r => double.IsNaN(r.Median))))];
    }

    /// <summary>
    /// One pass at <paramref name="depth"/>: the sequential forward pass and the <paramref name="implementations"/> in turn,
    /// in a tight loop (with the cross-core round trip before and after) and paced, on a network built from the same seed
    /// every pass; the first row is the sequential pass's, and every row's speed-ups are against it.
    /// </summary>
    private static List<SpeedupRow> Pass(BenchRunner runner, SpeedupOptions options, int depth, string[] implementations, WorkerPool pool, TextWriter? progress)
    {
        var network = new PipelineNetwork(Network(depth, options).Graph, new SeededRandom(21));
        var input = new float[options.Batch * options.Observation];
        new SeededRandom(22).FillUniform(input, -1, 1);
        ITickExecutor[] executors =
        [
            new PipelineExecutor(network, options.Batch, ExecutionMode.Instant),
            .. implementations.Select(name => TickExecutors.Create(name, network, options.Batch, pool)),
        ];
        var cases = executors.Select((e, i) => new BenchCase(i == 0 ? Sequential : implementations[i - 1], () => e.Tick(input))).ToArray();
        var before = CoreRoundTrip.Measure();
        var tight = runner.MeasureInterleaved(cases);
        var after = CoreRoundTrip.Measure();
        var paced = Paced(cases, options);
        List<SpeedupRow> rows = [.. cases.Select((c, i) => new SpeedupRow(depth, c.Name, tight[i].Median, tight[i].Min, tight[i].P90, paced[i], tight[0].Median, paced[0], before, after))];
        progress?.WriteLine(SpeedupReport.ProgressLine(depth, rows));
        return rows;
    }

    /// <summary>The bytes of the fused dense weight of a network of <paramref name="depth"/> layers.</summary>
    public static long DenseBytes(int depth, SpeedupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long rows = ((long)(depth - 1) * options.Width) + (2L * options.Actions);
        return rows * (options.Observation + rows) * sizeof(float);
    }

    /// <summary>Median seconds of one tick of each case when ticks come one per interval, the cases in turn.</summary>
    private static double[] Paced(BenchCase[] cases, SpeedupOptions options)
    {
        if (options.PacedInterval <= TimeSpan.Zero)
        {
            return [.. cases.Select(_ => double.NaN)];
        }

        var samples = cases.Select(_ => new double[options.PacedTicks]).ToArray();
        for (var k = 0; k < options.PacedTicks; k++)
        {
            for (var c = 0; c < cases.Length; c++)
            {
                Thread.Sleep(options.PacedInterval);
                var start = Stopwatch.GetTimestamp();
                cases[c].Operation();
                samples[c][k] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }

        return [.. samples.Select(s =>
        {
            Array.Sort(s);
            return BenchRunner.Quantile(s, 0.5);
        })];
    }
}
