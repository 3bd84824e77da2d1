using System.Diagnostics;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>Times an <see cref="EnvBenchmarkCase"/>: a short warm-up (JIT, caches), then a loop of fixed wall-clock length.</summary>
public static class EnvBenchmarkRunner
{
    private const int WarmupFraction = 10;

    /// <summary>Runs <paramref name="benchmark"/> for about <paramref name="duration"/>, from <paramref name="seed"/>.</summary>
    public static EnvBenchmarkResult Run(EnvBenchmarkCase benchmark, TimeSpan duration, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        using var stepper = benchmark.Create();
        stepper.Reset(seed);
        Loop(stepper, duration / WarmupFraction);

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var (steps, wall) = Loop(stepper, duration);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        return new EnvBenchmarkResult(benchmark, steps * stepper.EnvsPerStep, wall, cpu);
    }

    private static (long Steps, double Seconds) Loop(IEnvStepper stepper, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        long steps = 0;
        while (clock.Elapsed < duration)
        {
            stepper.Step();
            steps++;
        }

        return (steps, clock.Elapsed.TotalSeconds);
    }
}
