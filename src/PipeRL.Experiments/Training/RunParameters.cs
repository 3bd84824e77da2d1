using PipeRL.Agents;
using PipeRL.Agents.Normalization;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;

namespace PipeRL.Experiments.Training;

/// <summary>
/// The final parameters of a run (<see cref="ITrainer.AddParameters"/>: the actor, the algorithm's critics and the
/// observation statistics the actor was trained with), in the engine's checksummed checkpoint format.
/// </summary>
public static class RunParameters
{
    /// <summary>
    /// Loads the actor's parameters from <paramref name="path"/>, and the observation statistics into <paramref name="normalizer"/>
    /// when given; a missing, corrupt or mismatched file gives a <see cref="UserInputException"/>.
    /// </summary>
    public static void LoadActor(string path, IModule actor, ObservationNormalizer? normalizer = null)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"The run has no parameters at {path}: its training and final evaluation have not finished; resume the run to finish them.");
        }

        try
        {
            var checkpoint = Checkpoint.Load(path);
            checkpoint.RestoreParameters(actor.Parameters, ITrainer.ActorPrefix);
            normalizer?.Load(checkpoint);
        }
        catch (Exception ex) when (ex is InvalidDataException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException($"Cannot load the actor from {path}: {ex.Message}", ex);
        }
    }
}
