namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>The rows one env family adds to <c>piperl bench envs</c>; register it in <see cref="EnvBenchmarkSuites.All"/>.</summary>
public interface IEnvBenchmarkSuite
{
    /// <summary>The family name users filter on, for example <c>mujoco</c> or <c>minatar</c>.</summary>
    string Name { get; }

    /// <summary>Why the family cannot run here (a missing native library), or null when it can.</summary>
    string? Unavailable { get; }

    /// <summary>
    /// The rows: the vector env rows on each thread count in <paramref name="threads"/>, with <paramref name="vectorEnvs"/>
    /// sub-envs (null: the family's default).
    /// </summary>
    IReadOnlyList<EnvBenchmarkCase> Cases(IReadOnlyList<int> threads, int? vectorEnvs = null);
}
