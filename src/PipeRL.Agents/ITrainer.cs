using PipeRL.Agents.Normalization;
using PipeRL.Agents.Replay;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;

namespace PipeRL.Agents;

/// <summary>
/// One algorithm's training loop as the run machinery drives it: train to a tick budget in updates (reported to the
/// <see cref="Observer"/>), stop on request, checkpoint and restore, and hand over the parameters a finished run keeps.
/// </summary>
public interface ITrainer : IDisposable
{
    /// <summary>The name prefix of the actor's parameters in checkpoints and final parameters.</summary>
    const string ActorPrefix = "actor/";

    /// <summary>Receives episodes and updates; may be null.</summary>
    ITrainingObserver? Observer { get; set; }

    /// <summary>Threads for the networks' matrix products and convolutions, or null for the calling thread only.</summary>
    WorkerPool? Workers { get; set; }

    /// <summary>Ticks taken so far, over all envs.</summary>
    long Ticks { get; }

    /// <summary>Updates reported so far.</summary>
    int Updates { get; }

    /// <summary>
    /// The statistics the actor's observations are standardised with, or null when they are not; evaluation standardises
    /// with them, frozen, and <see cref="AddParameters"/> keeps them.
    /// </summary>
    ObservationNormalizer? ObservationNormalizer => null;

    /// <summary>The names of the scalars every reported <see cref="UpdateStats"/> holds, in order.</summary>
    IReadOnlyList<string> StatNames { get; }

    /// <summary>Trains until <paramref name="totalTicks"/> ticks over all envs, or until <see cref="RequestStop"/>.</summary>
    void Train(long totalTicks);

    /// <summary>Asks <see cref="Train"/> to return soon (safe from another thread or a signal handler).</summary>
    void RequestStop();

    /// <summary>
    /// Tells the trainer where its checkpoints are saved, so that it keeps state too large for them in files beside
    /// them (SAC's replay); call it before the first <see cref="SaveState"/> or <see cref="LoadState"/>. A trainer
    /// whose whole state fits its checkpoints ignores it.
    /// </summary>
    void KeepStateBeside(string checkpointPath)
    {
    }

    /// <summary>Deletes what any trainer keeps beside the checkpoint at <paramref name="checkpointPath"/> (a finished run's, which resumes no more).</summary>
    static void DeleteStateBeside(string checkpointPath) => ReplayFile.DeleteBeside(checkpointPath);

    /// <summary>
    /// Adds what continuing the run needs to <paramref name="checkpoint"/> (writing the state kept beside it first),
    /// which must be saved at the path given to <see cref="KeepStateBeside"/> before the next call.
    /// </summary>
    void SaveState(Checkpoint checkpoint);

    /// <summary>Restores what <see cref="SaveState"/> wrote; returns one line on what a resume restores and what it does not.</summary>
    string LoadState(Checkpoint checkpoint);

    /// <summary>Adds the networks a finished run keeps: the actor under <see cref="ActorPrefix"/>, then the algorithm's critics.</summary>
    void AddParameters(Checkpoint checkpoint);
}
