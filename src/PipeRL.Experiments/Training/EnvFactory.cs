using PipeRL.Envs;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.MinAtar;
using PipeRL.Envs.MuJoCo;
using PipeRL.Envs.Vector;
using PipeRL.Envs.Wrappers;

namespace PipeRL.Experiments.Training;

/// <summary>Creates the environments a run names, single or vectorised, with τ applied as an action repeat.</summary>
public static class EnvFactory
{
    /// <summary>Every env id a run can name.</summary>
    public static IReadOnlyList<string> Ids { get; } = [CartPoleEnv.EnvId, PendulumEnv.EnvId, .. MinAtarGames.Ids, .. MuJoCoEnvs.Ids];

    /// <summary>One env <paramref name="id"/> whose random source starts from <paramref name="seed"/>, stepping τ = <paramref name="tau"/> env steps per agent step.</summary>
    public static IEnv Create(string id, uint seed, int tau)
    {
        IEnv env = id switch
        {
            CartPoleEnv.EnvId => new CartPoleEnv(seed),
            PendulumEnv.EnvId => new PendulumEnv(seed),
            _ when id.StartsWith(MinAtarGames.IdPrefix, StringComparison.Ordinal) => MinAtarGames.Create(id, seed: seed),
            _ when MuJoCoEnvs.IsRegistered(id) => MuJoCoEnvs.Create(id, seed),
            _ => throw new ArgumentException($"Unknown env '{id}'; valid: {string.Join(", ", Ids)}."),
        };
        return tau == 1 ? env : new ActionRepeat(env, tau);
    }

    /// <summary>
    /// <paramref name="numEnvs"/> copies of env <paramref name="id"/> with same-step autoreset; copy i starts from
    /// seed + i. MinAtar and MuJoCo at τ = 1 use their own vector envs (MuJoCo's shares one model), stepped by
    /// <paramref name="threads"/> threads.
    /// </summary>
    public static IVectorEnv CreateVector(string id, int numEnvs, uint seed, int tau, int threads = 1) =>
        tau != 1 ? SyncVectorEnv.Create(numEnvs, i => Create(id, unchecked(seed + (uint)i), tau))
        : id.StartsWith(MinAtarGames.IdPrefix, StringComparison.Ordinal) ? new MinAtarVectorEnv(id, numEnvs, AutoresetMode.SameStep, seed: seed, threads: threads)
        : MuJoCoEnvs.IsRegistered(id) ? MuJoCoEnvs.CreateVector(id, numEnvs, threads, AutoresetMode.SameStep, seed)
        : SyncVectorEnv.Create(numEnvs, i => Create(id, unchecked(seed + (uint)i), tau));
}
