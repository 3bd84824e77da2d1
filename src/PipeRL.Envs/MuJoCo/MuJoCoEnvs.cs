using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo;

/// <summary>The MuJoCo locomotion tasks by id (<c>mujoco/hopper</c>, <c>mujoco/walker2d</c>, <c>mujoco/halfcheetah</c>, <c>mujoco/ant</c>).</summary>
public static class MuJoCoEnvs
{
    private static readonly Dictionary<string, (string ModelFile, Func<MjModel, bool, uint, MuJoCoEnv> Create)> Tasks = new(StringComparer.Ordinal)
    {
        [HopperEnv.EnvId] = (MuJoCoModels.Hopper, (model, owns, seed) => new HopperEnv(model, owns, seed)),
        [Walker2dEnv.EnvId] = (MuJoCoModels.Walker2d, (model, owns, seed) => new Walker2dEnv(model, owns, seed)),
        [HalfCheetahEnv.EnvId] = (MuJoCoModels.HalfCheetah, (model, owns, seed) => new HalfCheetahEnv(model, owns, seed)),
        [AntEnv.EnvId] = (MuJoCoModels.Ant, (model, owns, seed) => new AntEnv(model, owns, seed)),
    };

    /// <summary>Every registered id, in the order Hopper, Walker2d, HalfCheetah, Ant.</summary>
    public static IReadOnlyList<string> Ids { get; } = [HopperEnv.EnvId, Walker2dEnv.EnvId, HalfCheetahEnv.EnvId, AntEnv.EnvId];

    /// <summary>Why the MuJoCo tasks cannot run here (what is missing and how to install it), or null when they can.</summary>
    public static string? UnavailableReason
    {
        get
        {
            try
            {
                _ = MjLibrary.Instance;
                return null;
            }
            catch (MuJoCoUnavailableException ex)
            {
                return ex.Message;
            }
        }
    }

    /// <summary>Whether <paramref name="id"/> names a MuJoCo task.</summary>
    public static bool IsRegistered(string id) => Tasks.ContainsKey(id);

    /// <summary>Creates the task <paramref name="id"/> with its own model, seeded with <paramref name="seed"/>.</summary>
    public static MuJoCoEnv Create(string id, uint seed = 0)
    {
        var task = Task(id);
        var model = MuJoCoModels.Load(task.ModelFile);
        try
        {
            return task.Create(model, true, seed);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates <paramref name="numEnvs"/> copies of task <paramref name="id"/> sharing one model, stepped on
    /// <paramref name="threads"/> threads (the caller and threads − 1 workers); sub-env i is seeded <c>seed + i</c>.
    /// </summary>
    public static MuJoCoVectorEnv CreateVector(string id, int numEnvs, int threads = 1, AutoresetMode autoresetMode = AutoresetMode.NextStep, uint seed = 0)
    {
        var task = Task(id);
        return new MuJoCoVectorEnv(MuJoCoModels.Load(task.ModelFile), task.Create, numEnvs, threads, autoresetMode, seed);
    }

    private static (string ModelFile, Func<MjModel, bool, uint, MuJoCoEnv> Create) Task(string id) =>
        Tasks.TryGetValue(id, out var task)
            ? task
            : throw new ArgumentException($"Unknown MuJoCo env '{id}'; known: {string.Join(", ", Ids)}.", nameof(id));
}
