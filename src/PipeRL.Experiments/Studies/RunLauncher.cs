using PipeRL.Experiments.Runs;

namespace PipeRL.Experiments.Studies;

/// <summary>
/// Trains one prepared run folder of a study to its end: resumes it from its checkpoint, or starts it when it saved
/// none. Lines go to <paramref name="console"/>; cancelling <paramref name="stop"/> stops it cleanly with a checkpoint.
/// Returns the exit code: 0 finished, 130 or 143 stopped, anything else failed.
/// </summary>
/// <param name="run">The run folder (config.json written).</param>
/// <param name="console">Where the run's lines go.</param>
/// <param name="stop">Asks for a clean stop.</param>
public delegate int RunLauncher(RunFolder run, TextWriter console, CancellationToken stop);
