using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;

namespace PipeRL.Experiments.Training;

/// <summary>The final actor and critic parameters of a run, in the engine's checksummed checkpoint format.</summary>
public static class RunParameters
{
    /// <summary>Writes both networks' parameters to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IModule actor, ValueNetwork critic)
    {
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(actor.Parameters, PpoTrainer.ActorPrefix);
        checkpoint.AddParameters(critic.Parameters, PpoTrainer.CriticPrefix);
        checkpoint.Save(path);
    }

    /// <summary>Loads the actor's parameters from <paramref name="path"/>; a missing, corrupt or mismatched file gives a <see cref="UserInputException"/>.</summary>
    public static void LoadActor(string path, IModule actor)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"The run has no parameters at {path}: its training and final evaluation have not finished; resume the run to finish them.");
        }

        try
        {
            Checkpoint.Load(path).RestoreParameters(actor.Parameters, PpoTrainer.ActorPrefix);
        }
        catch (Exception ex) when (ex is InvalidDataException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException($"Cannot load the actor from {path}: {ex.Message}", ex);
        }
    }
}
