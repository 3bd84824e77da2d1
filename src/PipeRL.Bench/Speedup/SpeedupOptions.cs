namespace PipeRL.Bench.Speedup;

/// <summary>
/// What <see cref="SpeedupBench"/> measures: the authors' speed-up benchmark (pipelined MLPs of 2 to 101 layers, width 256,
/// batch 1, 21 observations, 8 actions) with every size configurable.
/// </summary>
public sealed record SpeedupOptions
{
    /// <summary>The paper's depths: 2 to 101 layers, in steps of ten.</summary>
    public static IReadOnlyList<int> PaperDepths { get; } = [2, 11, 21, 31, 41, 51, 61, 71, 81, 91, 101];

    /// <summary>Network depths (dense layers, the head included).</summary>
    public IReadOnlyList<int> Depths { get; init; } = PaperDepths;

    /// <summary>Width of the hidden layers.</summary>
    public int Width { get; init; } = 256;

    /// <summary>Observation size.</summary>
    public int Observation { get; init; } = 21;

    /// <summary>Action dimensions (a Gaussian head, as the authors' continuous actor).</summary>
    public int Actions { get; init; } = 8;

    /// <summary>Envs per tick.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Threads of the parallel tick's pool.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>The tick implementations measured (names of <see cref="PipeRL.Pipeline.Execution.TickExecutors"/>).</summary>
    public IReadOnlyList<string> Implementations { get; init; } = PipeRL.Pipeline.Execution.TickExecutors.Names;

    /// <summary>The gap between paced ticks; zero skips the paced measurement.</summary>
    public TimeSpan PacedInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Paced ticks per implementation and depth.</summary>
    public int PacedTicks { get; init; } = 60;

    /// <summary>The largest fused dense weight built (bytes); deeper networks skip that implementation.</summary>
    public long DenseLimitBytes { get; init; } = 512L << 20;
}
