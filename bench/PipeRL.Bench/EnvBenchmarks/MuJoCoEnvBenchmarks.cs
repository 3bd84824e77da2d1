using PipeRL.Envs.MuJoCo;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>
/// The MuJoCo rows: per task, the bare physics loop (the baseline), the <c>IEnv</c>, and the vector env with as
/// many sub-envs as the largest thread count, stepped on each thread count.
/// </summary>
public sealed class MuJoCoEnvBenchmarks : IEnvBenchmarkSuite
{
    /// <inheritdoc/>
    public string Name => "mujoco";

    /// <inheritdoc/>
    public string? Unavailable => MuJoCoEnvs.UnavailableReason;

    /// <inheritdoc/>
    public IReadOnlyList<EnvBenchmarkCase> Cases(IReadOnlyList<int> threads)
    {
        var numEnvs = threads.Max();
        var cases = new List<EnvBenchmarkCase>();
        foreach (var id in MuJoCoEnvs.Ids)
        {
            cases.Add(new EnvBenchmarkCase(id, "physics only", 1, 1, () => new MuJoCoPhysicsStepper(MuJoCoEnvs.Create(id))));
            cases.Add(new EnvBenchmarkCase(id, "env", 1, 1, () => new SingleEnvStepper(MuJoCoEnvs.Create(id))));
            foreach (var t in threads)
            {
                cases.Add(new EnvBenchmarkCase(id, "vector", numEnvs, t, () => new VectorEnvStepper(MuJoCoEnvs.CreateVector(id, numEnvs, t))));
            }
        }

        return cases;
    }
}
