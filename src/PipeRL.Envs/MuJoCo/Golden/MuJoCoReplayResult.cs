namespace PipeRL.Envs.MuJoCo.Golden;

/// <summary>The outcome of replaying one MuJoCo golden trace.</summary>
/// <param name="Trace">The trace's name.</param>
/// <param name="Start">How episodes were started.</param>
/// <param name="EpisodesMatched">Episodes that matched in full before the first mismatch.</param>
/// <param name="EpisodeCount">Episodes in the trace.</param>
/// <param name="StepsMatched">Steps that matched, over all episodes, before the first mismatch.</param>
/// <param name="Mismatch">The first mismatch, or null when everything matched bit for bit.</param>
public sealed record MuJoCoReplayResult(string Trace, MuJoCoReplayStart Start, int EpisodesMatched, int EpisodeCount, int StepsMatched, MuJoCoGoldenMismatch? Mismatch)
{
    /// <summary>Whether every episode matched.</summary>
    public bool Passed => Mismatch is null;

    /// <inheritdoc/>
    public override string ToString() => Passed
        ? $"{Trace} [{Start}]: all {EpisodeCount} episodes ({StepsMatched} steps) match bit for bit"
        : $"{Trace} [{Start}]: {EpisodesMatched} of {EpisodeCount} episodes match; {Mismatch}";
}
