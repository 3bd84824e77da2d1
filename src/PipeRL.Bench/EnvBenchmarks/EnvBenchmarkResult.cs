namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>The measured throughput of one <see cref="EnvBenchmarkCase"/>.</summary>
/// <param name="Case">What was measured.</param>
/// <param name="EnvSteps">Env steps performed while timing (resets included in the time).</param>
/// <param name="WallSeconds">Wall-clock seconds of the timed loop.</param>
/// <param name="CpuSeconds">Process CPU seconds (all threads) during the timed loop.</param>
public sealed record EnvBenchmarkResult(EnvBenchmarkCase Case, long EnvSteps, double WallSeconds, double CpuSeconds)
{
    /// <summary>Env steps per wall-clock second.</summary>
    public double StepsPerSecond => EnvSteps / WallSeconds;

    /// <summary>Env steps per CPU second: steadier than wall clock when other processes share the cores.</summary>
    public double StepsPerCpuSecond => CpuSeconds > 0 ? EnvSteps / CpuSeconds : double.NaN;
}
