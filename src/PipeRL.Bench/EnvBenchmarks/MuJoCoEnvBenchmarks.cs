using PipeRL.Agents.Ppo;
using PipeRL.Envs.MuJoCo;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>
/// The MuJoCo rows: per task, the bare physics loop (the baseline), the <c>IEnv</c>, and the vector env (by default
/// of <see cref="VectorEnvs"/> sub-envs) stepped on each thread count.
/// </summary>
public sealed class MuJoCoEnvBenchmarks : IEnvBenchmarkSuite
{
    // A plain P/Invoke env loop's steps per CPU-second on one core of this machine kind (MuJoCo facts, section 2).
    private static readonly Dictionary<string, double> PInvokeReference = new(StringComparer.Ordinal)
    {
        [HopperEnv.EnvId] = 16_500,
        [Walker2dEnv.EnvId] = 11_000,
        [HalfCheetahEnv.EnvId] = 36_000,
        [AntEnv.EnvId] = 4_800,
    };

    /// <summary>
    /// Sub-envs of the vector rows: the <c>mujoco-ppo</c> preset's, the vector env that training steps. With one sub-env
    /// per thread, a step waits for the slower of steps whose cost varies with the contacts (HalfCheetah: 19-33 µs from
    /// the 10th to the 90th percentile), which holds two threads near 1.7× of one; <c>--num-envs 2</c> times that.
    /// </summary>
    public static int VectorEnvs => PpoOptions.Mujoco.NumEnvs;

    /// <inheritdoc/>
    public string Name => "mujoco";

    /// <inheritdoc/>
    public string? Unavailable => MuJoCoEnvs.UnavailableReason;

    /// <inheritdoc/>
    public IReadOnlyList<EnvBenchmarkCase> Cases(IReadOnlyList<int> threads, int? vectorEnvs = null)
    {
        var numEnvs = vectorEnvs ?? VectorEnvs;
        var cases = new List<EnvBenchmarkCase>();
        foreach (var id in MuJoCoEnvs.Ids)
        {
            var reference = PInvokeReference[id];
            cases.Add(new EnvBenchmarkCase(id, "physics only", 1, 1, () => new MuJoCoPhysicsStepper(MuJoCoEnvs.Create(id)), reference));
            cases.Add(new EnvBenchmarkCase(id, "env", 1, 1, () => new SingleEnvStepper(MuJoCoEnvs.Create(id)), reference));
            foreach (var t in threads)
            {
                cases.Add(new EnvBenchmarkCase(id, "vector", numEnvs, t, () => new VectorEnvStepper(MuJoCoEnvs.CreateVector(id, numEnvs, t)), reference));
            }
        }

        return cases;
    }
}
