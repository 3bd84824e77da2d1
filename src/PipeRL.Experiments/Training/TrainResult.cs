using PipeRL.Experiments.Runs;

namespace PipeRL.Experiments.Training;

/// <summary>A finished run: its folder and its summary.</summary>
/// <param name="Run">The run folder.</param>
/// <param name="Summary">The evaluation summary written to it.</param>
public sealed record TrainResult(RunFolder Run, RunSummary Summary);
