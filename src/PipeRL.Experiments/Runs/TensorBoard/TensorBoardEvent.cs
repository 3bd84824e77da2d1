namespace PipeRL.Experiments.Runs.TensorBoard;

/// <summary>One decoded event: its wall time, step, file version (only the first event of a file has one) and scalars.</summary>
/// <param name="WallTime">Seconds since the Unix epoch.</param>
/// <param name="Step">The step the scalars belong to (PipeRL writes the tick).</param>
/// <param name="FileVersion">The file-version string, or null for a summary event.</param>
/// <param name="Scalars">The summary's simple values by tag, in file order.</param>
public sealed record TensorBoardEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<KeyValuePair<string, float>> Scalars);
