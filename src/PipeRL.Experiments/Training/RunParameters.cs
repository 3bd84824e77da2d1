using PipeRL.Agents;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;

namespace PipeRL.Experiments.Training;

/// <summary>The final parameters of a run (<see cref="ITrainer.AddParameters"/>: the actor and the algorithm's critics), in the engine's checksummed checkpoint format.</summary>
public static class RunParameters
{
    /// <summary>Loads the actor's parameters from <paramref name="path"/>; a missing, corrupt or mismatched file gives a <see cref="UserInputException"/>.</summary>
    public static void LoadActor(string path, IModule actor)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"The run has no parameters at {path}: its training and final evaluation have not finished; resume the run to finish them.");
        }

        try
        {
            Checkpoint.Load(path).RestoreParameters(actor.Parameters, ITrainer.ActorPrefix);
        }
        catch (Exception ex) when (ex is InvalidDataException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException($"Cannot load the actor from {path}: {ex.Message}", ex);
        }
    }
}
