using PipeRL.Agents.Networks;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;

namespace PipeRL.Experiments.Training;

/// <summary>The final actor and critic parameters of a run, in the engine's checksummed checkpoint format.</summary>
public static class RunParameters
{
    private const string ActorPrefix = "actor/";
    private const string CriticPrefix = "critic/";

    /// <summary>Writes both networks' parameters to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IModule actor, ValueNetwork critic)
    {
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(actor.Parameters, ActorPrefix);
        checkpoint.AddParameters(critic.Parameters, CriticPrefix);
        checkpoint.Save(path);
    }

    /// <summary>Loads the actor's parameters from <paramref name="path"/>; a missing, corrupt or mismatched file gives an <see cref="ArgumentException"/>.</summary>
    public static void LoadActor(string path, IModule actor)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"The run has no parameters at {path}; did its training finish?");
        }

        try
        {
            Checkpoint.Load(path).RestoreParameters(actor.Parameters, ActorPrefix);
        }
        catch (Exception ex) when (ex is InvalidDataException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ArgumentException($"Cannot load the actor from {path}: {ex.Message}", ex);
        }
    }
}
