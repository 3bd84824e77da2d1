using PipeRL.Experiments.Runs;

namespace PipeRL.Experiments.Training;

/// <summary>Training was asked to stop (Ctrl-C, SIGTERM) and did so at an update boundary, leaving a checkpoint to resume from.</summary>
public sealed class TrainingStoppedException : Exception
{
    /// <summary>Training of <paramref name="run"/> stopped after update <paramref name="updates"/> of <paramref name="numUpdates"/>.</summary>
    public TrainingStoppedException(RunFolder run, int updates, int numUpdates)
        : base($"Training of {run?.Path} stopped after update {updates}/{numUpdates}; resuming the run continues it.")
    {
        ArgumentNullException.ThrowIfNull(run);
        Run = run;
        Updates = updates;
    }

    /// <summary>The run folder holding the checkpoint.</summary>
    public RunFolder Run { get; }

    /// <summary>The updates completed and checkpointed.</summary>
    public int Updates { get; }
}
