namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>One operation of a golden trace (a reset or an act) and what the reference produced.</summary>
public sealed class GoldenTraceRecord
{
    /// <summary>The 1-based line of the record in its file.</summary>
    public required int Line { get; init; }

    /// <summary>Whether the operation is a reset (otherwise an act).</summary>
    public required bool IsReset { get; init; }

    /// <summary>The action the agent asked for (full-set index); 0 for a reset.</summary>
    public int Action { get; init; }

    /// <summary>The action applied after the sticky-action substitution; 0 for a reset.</summary>
    public int EffectiveAction { get; init; }

    /// <summary>The reward of the act.</summary>
    public int Reward { get; init; }

    /// <summary>The terminal flag the act returned.</summary>
    public bool Terminal { get; init; }

    /// <summary>The game's <c>difficulty_ramp()</c> after the act, or null.</summary>
    public int? Ramp { get; init; }

    /// <summary>The random draws of the operation, in order, one per scalar.</summary>
    public required IReadOnlyList<GoldenDraw> Draws { get; init; }

    /// <summary>The observation after the operation, as numpy's <c>packbits</c>.</summary>
    public required byte[] Observation { get; init; }

    /// <summary>The hidden debug values after the operation (header's hidden_fields order).</summary>
    public required IReadOnlyList<int> Hidden { get; init; }
}
