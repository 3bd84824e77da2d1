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
    public BenchResult Measure(string name, Action operation, double? target = null)
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
        long ops = Math.Max(1, (long)Math.Ceiling(MinRepetitionTime.TotalSeconds / Math.Max(perOp, 1e-9)));
        var samples = new double[Repetitions];
        var cpu = new double[Repetitions];
        for (int r = 0; r < Repetitions; r++)
        {
            double cpuStart = ThreadCpuClock.Now();
            long start = Stopwatch.GetTimestamp();
            for (long i = 0; i < ops; i++)
            {
                operation();
            }

            samples[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / ops;
            cpu[r] = (ThreadCpuClock.Now() - cpuStart) / ops;
        }

        Array.Sort(samples);
        Array.Sort(cpu);
        double? cpuMedian = ThreadCpuClock.IsSupported ? Quantile(cpu, 0.5) : null;
        double? cpuMin = ThreadCpuClock.IsSupported ? cpu[0] : null;
        return new BenchResult(name, Quantile(samples, 0.5), samples[0], Quantile(samples, 0.9), samples[^1], Repetitions, ops, target, cpuMedian, cpuMin);
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
