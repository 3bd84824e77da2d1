namespace PipeRL.Experiments.Studies;

/// <summary>What one <c>piperl study</c> invocation did.</summary>
/// <param name="Folder">The study folder.</param>
/// <param name="Skipped">Runs already finished before it started.</param>
/// <param name="Finished">Runs it trained to the end.</param>
/// <param name="Stopped">Runs stopped by a signal, resumable.</param>
/// <param name="Failed">Runs whose process failed, with their exit codes.</param>
/// <param name="Busy">Runs another process was training, left alone.</param>
/// <param name="Table">The report's table over every finished run of the folder, or null when none has finished.</param>
public sealed record StudyOutcome(string Folder, int Skipped, int Finished, int Stopped, IReadOnlyList<string> Failed, int Busy, string? Table);
