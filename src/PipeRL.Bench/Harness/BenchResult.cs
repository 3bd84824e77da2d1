namespace PipeRL.Bench.Harness;

/// <summary>Timing of one benchmark case, in seconds per operation over the repetitions.</summary>
/// <param name="Name">Case name, e.g. <c>mlp 17-256-256-6 infer b=1</c>.</param>
/// <param name="Median">Median seconds per operation.</param>
/// <param name="Min">Fastest repetition.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="Max">Slowest repetition.</param>
/// <param name="Repetitions">Repetitions measured.</param>
/// <param name="OperationsPerRepetition">Operations timed together in one repetition.</param>
/// <param name="Target">Reference seconds per operation to compare against, or null.</param>
/// <param name="CpuMedian">Median CPU seconds per operation of the timing thread, or null where unsupported.</param>
/// <param name="CpuMin">Smallest CPU seconds per operation of the timing thread, or null.</param>
public sealed record BenchResult(string Name, double Median, double Min, double P90, double Max, int Repetitions, long OperationsPerRepetition, double? Target, double? CpuMedian = null, double? CpuMin = null)
{
    /// <summary>Median divided by <see cref="Target"/> (below 1 is faster than the target), or null.</summary>
    public double? MedianToTarget => Target is > 0 ? Median / Target.Value : null;

    /// <summary>Fastest repetition divided by <see cref="Target"/>, or null (the fairer figure on a loaded machine).</summary>
    public double? MinToTarget => Target is > 0 ? Min / Target.Value : null;

    /// <summary>CPU median divided by <see cref="Target"/>, or null (meaningful for single-threaded cases).</summary>
    public double? CpuToTarget => Target is > 0 && CpuMedian is { } cpu ? cpu / Target.Value : null;
}
