namespace PipeRL.Pipeline.Analysis;

/// <summary>How the value of one graph input reaches the action chosen from one head, in ticks.</summary>
public sealed record DelayReport
{
    /// <summary>The input's name.</summary>
    public required string Input { get; init; }

    /// <summary>The head's name.</summary>
    public required string Head { get; init; }

    /// <summary>The smallest d such that the action applied at tick t depends on the input of tick t − d.</summary>
    public required int MinimumDelay { get; init; }

    /// <summary>The largest such d, or null when a recurrence makes the dependence unbounded.</summary>
    public required int? ReceptiveWindow { get; init; }

    /// <summary>Every d such that the action at tick t depends on the input of tick t − d (empty when unbounded).</summary>
    public required IReadOnlyList<int> Delays { get; init; }

    /// <summary>The distinct paths from the input to the head, shortest delay first.</summary>
    public required IReadOnlyList<DelayPath> Paths { get; init; }

    /// <summary>Whether more paths exist than <see cref="Paths"/> lists.</summary>
    public required bool PathsTruncated { get; init; }
}
