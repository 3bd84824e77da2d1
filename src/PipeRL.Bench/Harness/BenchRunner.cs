using System.Diagnostics;

namespace PipeRL.Bench.Harness;

/// <summary>
/// Times an operation: warm-up (so the JIT has tiered up), then repetitions of enough back-to-back operations to last
/// <see cref="MinRepetitionTime"/> each; reports per-operation wall-clock median, min, p90 and max, and the timing
/// thread's CPU time (see <see cref="ThreadCpuClock"/>).
/// </summary>
/// <param name="repetitions">Repetitions to measure (at least 1).</param>
/// <param name="warmup">Warm-up time per case.</param>
/// <param name="minRepetitionTime">Minimum duration of one repetition.</param>
public sealed class BenchRunner(int repetitions, TimeSpan warmup, TimeSpan minRepetitionTime)
{
    /// <summary>Repetitions per case.</summary>
    public int Repetitions { get; } = repetitions >= 1 ? repetitions : throw new ArgumentOutOfRangeException(nameof(repetitions), $"Repetitions must be at least 1, got {repetitions}.");

    /// <summary>Warm-up time per case.</summary>
    public TimeSpan Warmup { get; } = warmup;

    /// <summary>Minimum duration of one repetition.</summary>
    public TimeSpan MinRepetitionTime { get; } = minRepetitionTime;

    /// <summary>Measures <paramref name="operation"/>; <paramref name="target"/> (seconds) is carried into the result.</summary>
    public BenchResult Measure(string name, Action operation, double? target = null) => MeasureInterleaved([new BenchCase(name, operation, target)])[0];

    /// <summary>
    /// Measures several operations with their repetitions taken in turn (one of each, then again), so that a slow spell of a
    /// shared machine falls on all of them alike rather than on whichever case it overlaps; each repetition follows a tenth
    /// of one run untimed.
    /// </summary>
    public IReadOnlyList<BenchResult> MeasureInterleaved(IReadOnlyList<BenchCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);

        // What earlier measurements left behind is collected now, not during this one (as BenchmarkDotNet does): in
        // `bench speedup` the 101-layer sequential row, measured first after the networks of ten smaller depths, read
        // 412-580 µs against 250-305 µs for the same layers in the row after it, and 250-260 µs in a run of that depth alone.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var ops = cases.Select(c => Calibrate(c.Operation)).ToArray();
        var samples = cases.Select(_ => new double[Repetitions]).ToArray();
        var cpu = cases.Select(_ => new double[Repetitions]).ToArray();
        for (int r = 0; r < Repetitions; r++)
        {
            for (int c = 0; c < cases.Count; c++)
            {
                // A tenth of a repetition untimed first: the switch from another case (its data in the caches, a pool's
                // worker gone to sleep meanwhile) is not part of this case's steady state.
                for (long i = 0; i < (ops[c] + 9) / 10; i++)
                {
                    cases[c].Operation();
                }

                double cpuStart = ThreadCpuClock.Now();
                long start = Stopwatch.GetTimestamp();
                for (long i = 0; i < ops[c]; i++)
                {
                    cases[c].Operation();
                }

                samples[c][r] = Stopwatch.GetElapsedTime(start).TotalSeconds / ops[c];
                cpu[c][r] = (ThreadCpuClock.Now() - cpuStart) / ops[c];
            }
        }

        return [.. cases.Select((c, i) => Result(c, samples[i], cpu[i], ops[i]))];
    }

    /// <summary>Warms <paramref name="operation"/> up and returns how many back-to-back runs fill one repetition.</summary>
    private long Calibrate(Action operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var clock = Stopwatch.StartNew();
        long warmupOps = 0;
        do
        {
            operation();
            warmupOps++;
        }
        while (clock.Elapsed < Warmup || warmupOps < 3);

        double perOp = clock.Elapsed.TotalSeconds / warmupOps;
        return Math.Max(1, (long)Math.Ceiling(MinRepetitionTime.TotalSeconds / Math.Max(perOp, 1e-9)));
    }

    private BenchResult Result(BenchCase benchCase, double[] samples, double[] cpu, long ops)
    {
        Array.Sort(samples);
        Array.Sort(cpu);
        double? cpuMedian = ThreadCpuClock.IsSupported ? Quantile(cpu, 0.5) : null;
        double? cpuMin = ThreadCpuClock.IsSupported ? cpu[0] : null;
        return new BenchResult(benchCase.Name, Quantile(samples, 0.5), samples[0], Quantile(samples, 0.9), samples[^1], Repetitions, ops, benchCase.Target, cpuMedian, cpuMin);
    }

    /// <summary>Linear-interpolated quantile of sorted <paramref name="sorted"/>.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("Quantile of no samples.", nameof(sorted));
        }

        double pos = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }
}
