using System.Diagnostics;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>
/// Times <see cref="EnvBenchmarkCase"/>s: a short warm-up (JIT, caches), then loops of fixed wall-clock length, the rows
/// of one env in turn.
/// </summary>
public static class EnvBenchmarkRunner
{
    /// <summary>The slices each row's time is cut into by <see cref="RunInterleaved"/>.</summary>
    public const int DefaultSlices = 10;

    private const int WarmupFraction = 10;

    /// <summary>
    /// Runs <paramref name="benchmarks"/> for about <paramref name="duration"/> each, from <paramref name="seed"/>, in
    /// <paramref name="slices"/> rounds that give every row a slice in turn, so that a slow spell of a shared machine falls
    /// on all of them alike and their ratios hold (timed one after another, 32 MuJoCo envs on 2 threads against 1 read
    /// 1.59-2.06x for Walker2d and 1.51-1.85x for Hopper in three runs of a few minutes).
    /// </summary>
    public static IReadOnlyList<EnvBenchmarkResult> RunInterleaved(IReadOnlyList<EnvBenchmarkCase> benchmarks, TimeSpan duration, int slices = DefaultSlices, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(benchmarks);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slices);
        var steppers = new List<IEnvStepper>(benchmarks.Count);
        try
        {
            foreach (var benchmark in benchmarks)
            {
                var stepper = benchmark.Create();
                steppers.Add(stepper);
                stepper.Reset(seed);
                Loop(stepper, duration / WarmupFraction);
            }

            var steps = new long[steppers.Count];
            var wall = new double[steppers.Count];
            var cpu = new double[steppers.Count];
            using var process = Process.GetCurrentProcess();
            for (var slice = 0; slice < slices; slice++)
            {
                for (var i = 0; i < steppers.Count; i++)
                {
                    process.Refresh();
                    var cpuStart = process.TotalProcessorTime;
                    var (sliceSteps, sliceWall) = Loop(steppers[i], duration / slices);
                    process.Refresh();
                    cpu[i] += (process.TotalProcessorTime - cpuStart).TotalSeconds;
                    steps[i] += sliceSteps;
                    wall[i] += sliceWall;
                }
            }

            return [.. benchmarks.Select((b, i) => new EnvBenchmarkResult(b, steps[i] * steppers[i].EnvsPerStep, wall[i], cpu[i]))];
        }
        finally
        {
            foreach (var stepper in steppers)
            {
                stepper.Dispose();
            }
        }
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
