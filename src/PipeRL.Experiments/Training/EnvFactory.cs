using PipeRL.Envs;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.MinAtar;
using PipeRL.Envs.MuJoCo;
using PipeRL.Envs.Vector;
using PipeRL.Envs.Wrappers;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Training;

/// <summary>
/// Creates the environments a run names, single or vectorised, with τ applied: τ = k as an action repeat
/// (<see cref="ActionRepeat"/>), τ = 1/m as an observation held for m ticks (<see cref="HeldObservation"/>).
/// </summary>
public static class EnvFactory
{
    /// <summary>Every env id a run can name.</summary>
    public static IReadOnlyList<string> Ids { get; } = [CartPoleEnv.EnvId, PendulumEnv.EnvId, .. MinAtarGames.Ids, .. MuJoCoEnvs.Ids];

    /// <summary>One env <paramref name="id"/> whose random source starts from <paramref name="seed"/>, one step per tick of length <paramref name="tau"/>.</summary>
    public static IEnv Create(string id, uint seed, Tau tau)
    {
        RequireKnown(id);
        IEnv env = id switch
        {
            CartPoleEnv.EnvId => new CartPoleEnv(seed),
            PendulumEnv.EnvId => new PendulumEnv(seed),
            _ when id.StartsWith(MinAtarGames.IdPrefix, StringComparison.Ordinal) => MinAtarGames.Create(id, seed: seed),
            _ when MuJoCoEnvs.IsRegistered(id) => MuJoCoEnvs.Create(id, seed),
            _ => throw UnknownEnv(id),
        };
        return tau.TicksPerEnvStep > 1 ? new HeldObservation(env, tau.TicksPerEnvStep)
            : tau.EnvStepsPerTick > 1 ? new ActionRepeat(env, tau.EnvStepsPerTick)
            : env;
    }

    /// <summary>
    /// <paramref name="numEnvs"/> copies of env <paramref name="id"/> with same-step autoreset; copy i starts from
    /// seed + i. MinAtar and MuJoCo at τ = 1 use their own vector envs (MuJoCo's shares one model), stepped by
    /// <paramref name="threads"/> threads.
    /// </summary>
    public static IVectorEnv CreateVector(string id, int numEnvs, uint seed, Tau tau, int threads = 1) =>
        !Ids.Contains(id) ? throw UnknownEnv(id)
        : tau != Tau.One ? SyncVectorEnv.Create(numEnvs, i => Create(id, unchecked(seed + (uint)i), tau))
        : id.StartsWith(MinAtarGames.IdPrefix, StringComparison.Ordinal) ? new MinAtarVectorEnv(id, numEnvs, AutoresetMode.SameStep, seed: seed, threads: threads)
        : MuJoCoEnvs.IsRegistered(id) ? MuJoCoEnvs.CreateVector(id, numEnvs, threads, AutoresetMode.SameStep, seed)
        : SyncVectorEnv.Create(numEnvs, i => Create(id, unchecked(seed + (uint)i), tau));

    /// <summary>Throws a <see cref="UserInputException"/> unless <paramref name="id"/> is one of <see cref="Ids"/>.</summary>
    private static void RequireKnown(string id)
    {
        if (!Ids.Contains(id))
        {
            throw UnknownEnv(id);
        }
    }

    private static UserInputException UnknownEnv(string id) => new($"Unknown env '{id}'; valid: {string.Join(", ", Ids)}.");
}
