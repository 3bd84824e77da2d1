namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>The outcome of replaying one golden trace in one mode.</summary>
/// <param name="Trace">The trace's name.</param>
/// <param name="Mode">How it was replayed.</param>
/// <param name="RecordsMatched">Records that matched before the first mismatch, which is also the 0-based index of the mismatching record.</param>
/// <param name="RecordCount">Records in the trace.</param>
/// <param name="Mismatch">The first mismatch, or null when every record matched.</param>
public sealed record GoldenReplayResult(string Trace, GoldenReplayMode Mode, int RecordsMatched, int RecordCount, GoldenMismatch? Mismatch)
{
    /// <summary>Whether every record matched.</summary>
    public bool Passed => Mismatch is null;

    /// <inheritdoc/>
    public override string ToString() => Passed
        ? $"{Trace} [{Mode}]: all {RecordCount} records match"
        : $"{Trace} [{Mode}]: record {RecordsMatched}, {Mismatch}";
}
