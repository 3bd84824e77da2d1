using System.Globalization;
using PipeRL.Bench.Harness;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Bench.Pipeline;

/// <summary>
/// <c>piperl bench pipeline</c>: one tick of an N-layer, width-w pipelined MLP, computed layer after layer on one
/// thread versus the independent layers of the tick spread over the threads of a worker pool.
/// </summary>
public static class PipelineBench
{
    /// <summary>The share of split ticks from which a parallel median times the split.</summary>
    private const double MostTicksSplit = 0.9;

    /// <summary>The depths measured.</summary>
    public static IReadOnlyList<int> Depths { get; } = [4, 8];

    /// <summary>The widths measured.</summary>
    public static IReadOnlyList<int> Widths { get; } = [256, 1024];

    /// <summary>The batch sizes measured.</summary>
    public static IReadOnlyList<int> Batches { get; } = [1, 64];

    /// <summary>
    /// The authors' MinAtar PPO actors (Breakout's 10×10×4 observation, 6 actions; the undelayed one CNN 16-32-32 + 512,
    /// the delayed ones 32-64-64 + 512) and their batch-1 actor tick measured with their PyTorch code on this machine kind (seconds).
    /// </summary>
    public static IReadOnlyList<(string Architecture, CnnTorso Torso, double AuthorsTick)> PaperActors { get; } =
    [
        ("instant", CnnTorso.MinAtarUndelayed, 0.59e-3),
        ("pipelined", CnnTorso.MinAtar, 1.4e-3),
        ("temporal-skip-aug", CnnTorso.MinAtar, 4.4e-3),
    ];

    /// <summary>A plain pipelined MLP of <paramref name="layers"/> equal w×w layers (the last one the head).</summary>
    public static PipelineGraph Mlp(int layers, int width) => ArchitectureCatalogue.Build(
        "pipelined",
        new ArchitectureOptions { ObservationShape = [width], Actions = width, HiddenLayers = layers - 1, Width = width }).Graph;

    /// <summary>Times every case with <paramref name="runner"/>; <paramref name="threads"/> is the parallel pool's size.</summary>
    public static BenchReport Run(BenchRunner runner, int threads = 2)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var results = new List<BenchResult>();
        var speedups = new List<string>();
        using var pool = new WorkerPool(threads);
        foreach (var layers in Depths)
        {
            foreach (var width in Widths)
            {
                var network = new PipelineNetwork(Mlp(layers, width), new SeededRandom(11));
                foreach (var batch in Batches)
                {
                    var input = new float[batch * width];
                    new SeededRandom(12).FillUniform(input, -1, 1);
                    var sequential = new PipelineExecutor(network, batch);
                    var parallel = new PipelineExecutor(network, batch, workers: pool);
                    var overlapped = new PipelineExecutor(network, batch, workers: pool, overlapTicks: true);
                    var name = string.Create(CultureInfo.InvariantCulture, $"N={layers} w={width} b={batch}");
                    var roundTripBefore = CoreRoundTrip.Measure();

                    // In turn, so that a slow spell of a shared machine falls on every row alike.
                    var timed = MeasureWithOverlapped(
                        runner,
                        [
                            new BenchCase($"{name} sequential", () => sequential.Tick(input)),
                            new BenchCase($"{name} parallel t={threads}", () => parallel.Tick(input)),
                        ],
                        overlapped,
                        new BenchCase($"{name} overlapped t={threads}", () => overlapped.Tick(input)));
                    var roundTripAfter = CoreRoundTrip.Measure();
                    var seq = timed[0];
                    var par = timed[1] with { Target = seq.Median };
                    var ceiling = ForkJoinCeiling.Measure(pool, seq.Median / 2);
                    results.Add(seq);
                    results.Add(par);
                    var overlapNote = "";
                    if (timed.Count > 2)
                    {
                        var ovl = timed[2] with { Target = seq.Median };
                        results.Add(ovl);
                        overlapNote = string.Create(CultureInfo.InvariantCulture, $"; overlapped {seq.Median / ovl.Median:0.00}x ({overlapped.SplitTickShare:0%} split)");
                    }

                    var schedule = parallel.Schedule;
                    var split = schedule.Waves.FirstOrDefault(w => w.Split != WaveSplit.OneThread)?.Split ?? WaveSplit.OneThread;
                    speedups.Add(string.Create(CultureInfo.InvariantCulture, $"  {name,-22} speed-up {seq.Median / par.Median:0.00}x (median), {seq.Min / par.Min:0.00}x (min); parallel on {schedule.Threads} thread(s), {split}, {parallel.SplitTickShare:0%} of its ticks split{overlapNote}{PartsNote(parallel, seq.Median, par.Median)}; {CeilingNote(seq.Median, ceiling)}; {CoreRoundTrip.Describe(roundTripBefore, roundTripAfter)}"));
                }
            }
        }

        var densities = new List<string>();
        foreach (var (name, torso, authorsTick) in PaperActors)
        {
            densities.Add(MeasurePaperActor(runner, name, torso, authorsTick, pool, results));
        }

        string[] notes =
        [
            "Times per tick, the two rows of a case measured in turn. Sequential: every layer of the tick in turn on the caller.",
            $"Parallel: the executor with a pool of {threads} threads, which spreads the tick's independent layers (or shares of",
            "big ones) over the threads when its cost model expects a gain, each thread computing the same layers every tick,",
            "and stays on one thread otherwise (results bit-identical); now and then it times its split ticks against one-thread",
            "ticks and runs on one thread while that is faster. Target = the sequential median, so Median/Target is",
            "parallel time / sequential time. Overlapped: the same with ticks that return once the caller's layers are done,",
            "the worker's finishing during the next tick (inference only: the weights must hold still between ticks), timed in",
            "turn with the other two where the tick allows it (one wave of whole layers on the sparse-input path, batch 16 or less).",
            "Speed-up = sequential / parallel:",
            .. speedups,
            "Fork and join alone: the pool's pinned run of two chunks that each spin on the clock for half the sequential tick",
            "(median of 5 x 20 ms, after the case), so its time over one spin is the fork and the join with nothing shared: the",
            "speed-up of a split into equal halves that costs nothing else. A split passes it where each core's half of the",
            "weights stays nearer to it than the whole did to one core (w=1024, N=8).",
            "Cross-core round trip: two threads passing a counter back and forth, each write on a cache line of its own, just",
            "before and after the case (median of 5 x 2,000). A split tick waits for at least one such trip (its fork and its",
            "join), so where the round trip moves from minute to minute (0.14-1.7 us on a 2-vCPU Zen 5 VM), the batch-1",
            "speed-ups move with it.",
            "Paper actor rows: one batch-1 tick of the authors' MinAtar CNN actors (PyTorch default initialisation, seed 13) on",
            "the inputs of a seeded Breakout rollout with random actions (binary 10x10x4 frames, one-hot last action for aug).",
            "engine: every layer on the engine's kernels; sparse: dense layers read only the transposed-weight rows of nonzero",
            "inputs, convs read their patches in place from a zero-padded copy of the input (weights packed once per optimizer step);",
            $"sparse t={threads}: the big layers split over the pool. Target = the authors' PyTorch actor tick",
            "on this machine kind (0.59 / 1.4 / 4.4 ms), so Median/Target below 0.1 means 10x faster. Nonzero inputs per layer:",
            .. densities,
            "The machine may be shared: other processes take cores, which hurts the parallel rows most.",
        ];
        return new BenchReport("pipeline", BenchEnvironment.Capture(), results, notes);
    }

    private static string MeasurePaperActor(BenchRunner runner, string name, CnnTorso torso, double authorsTick, WorkerPool pool, List<BenchResult> results)
    {
        var architecture = ArchitectureCatalogue.Build(name, new ArchitectureOptions { ObservationShape = [10, 10, BreakoutInputs.Channels], Actions = BreakoutInputs.Actions, Cnn = torso });
        var network = new PipelineNetwork(architecture.Graph, new SeededRandom(13));
        var inputs = BreakoutInputs.Rollout(256, architecture.HistoryLength, 14);
        (string Label, PipelineExecutor Executor)[] cases =
        [
            ("engine", new PipelineExecutor(network, 1, architecture.Mode, skipZeroInputs: false)),
            ("sparse", new PipelineExecutor(network, 1, architecture.Mode)),
            (string.Create(CultureInfo.InvariantCulture, $"sparse t={pool.ThreadCount}"), new PipelineExecutor(network, 1, architecture.Mode, pool)),
        ];
        // In turn, so that the 1- and 2-thread rows of an actor see the same spells of a shared machine.
        results.AddRange(runner.MeasureInterleaved([.. cases.Select(c =>
        {
            var t = 0;
            return new BenchCase($"paper actor {name} b=1 {c.Label}", () => c.Executor.Tick(inputs[t++ & 255]), authorsTick);
        })]));

        return "  " + name + ": " + Densities(network, architecture, inputs);
    }

    /// <summary>The mean fraction of nonzero values that each dense or conv layer reads, over the rollout.</summary>
    private static string Densities(PipelineNetwork network, Architecture architecture, float[][] inputs)
    {
        var graph = architecture.Graph;
        var layers = graph.Layers.Where(l => l.Kind is LayerKind.Conv2d or LayerKind.Dense).ToArray();
        var nonzero = new double[layers.Length];
        var executor = new PipelineExecutor(network, 1, architecture.Mode);
        foreach (var input in inputs)
        {
            executor.Tick(input);
            for (var i = 0; i < layers.Length; i++)
            {
                var source = executor.Value(graph.Layers[layers[i].Inputs[0].Source].Name);
                nonzero[i] += (double)(source.Length - source.Count(0f)) / source.Length / inputs.Length;
            }
        }

        return string.Join(", ", layers.Select((l, i) => string.Create(CultureInfo.InvariantCulture, $"{l.Name} {nonzero[i]:P0}")));
    }

    /// <summary>
    /// What the split adds to the busiest of <paramref name="parts"/> (each thread's part of a tick timed alone, seconds) in
    /// a parallel median of <paramref name="parallelSeconds"/>: the fork, the join, and the threads slowing each other down
    /// (shared caches, clock). Said only when nearly all of the executor's ticks ran split.
    /// </summary>
    internal static string SplitCost(PipelineExecutor parallel, IReadOnlyList<double> parts, double parallelSeconds) =>
        parallel.SplitTickShare < MostTicksSplit
            ? string.Create(CultureInfo.InvariantCulture, $"only {parallel.SplitTickShare:0%} of the pool's ticks ran split, so its median does not time the split")
            : string.Create(CultureInfo.InvariantCulture, $"the split tick adds {Micro(parallelSeconds - parts.Max())} to the busiest (fork, join, threads slowing each other)");

    /// <summary>Each thread's part of <paramref name="executor"/>'s split tick timed alone on the caller, about 30 ms of runs each for a one-thread tick of <paramref name="tickSeconds"/>.</summary>
    internal static IReadOnlyList<double> TimeParts(PipelineExecutor executor, double tickSeconds) =>
        executor.TimeThreadParts(Math.Max(10, (int)(0.03 / tickSeconds)));

    /// <summary>The busiest thread's part of a split tick timed alone on the caller, and what the split adds.</summary>
    private static string PartsNote(PipelineExecutor parallel, double sequentialSeconds, double parallelSeconds)
    {
        var parts = TimeParts(parallel, sequentialSeconds);
        return parts.Count == 0 ? "" : $"; busiest thread's part alone {Micro(parts.Max())}, {SplitCost(parallel, parts, parallelSeconds)}";
    }

    /// <summary>
    /// Times <paramref name="cases"/> in turn, and <paramref name="overlappedCase"/> (ticks of <paramref name="overlapped"/>)
    /// after them where its ticks overlap; waits for its workers after the timing.
    /// </summary>
    internal static IReadOnlyList<BenchResult> MeasureWithOverlapped(BenchRunner runner, IReadOnlyList<BenchCase> cases, PipelineExecutor overlapped, BenchCase overlappedCase)
    {
        var results = runner.MeasureInterleaved(overlapped.OverlapsTicks ? [.. cases, overlappedCase] : cases);
        overlapped.Join();
        return results;
    }

    /// <summary>The fork-join ceiling of a case whose sequential tick took <paramref name="sequentialSeconds"/> (see <see cref="ForkJoinCeiling"/>).</summary>
    internal static string CeilingNote(double sequentialSeconds, double? ceilingSeconds) => ceilingSeconds is { } c
        ? string.Create(CultureInfo.InvariantCulture, $"fork and join alone: two spins of {Micro(sequentialSeconds / 2)} take {Micro(c)}, {sequentialSeconds / c:0.00}x")
        : "fork and join alone: not measured (one thread)";

    private static string Micro(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:0.00} us");
}
