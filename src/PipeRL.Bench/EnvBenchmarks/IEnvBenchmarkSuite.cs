namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>The rows one env family adds to <c>piperl bench envs</c>; register it in <see cref="EnvBenchmarkSuites.All"/>.</summary>
public interface IEnvBenchmarkSuite
{
    /// <summary>The family name users filter on, for example <c>mujoco</c> or <c>minatar</c>.</summary>
    string Name { get; }

    /// <summary>Why the family cannot run here (a missing native library), or null when it can.</summary>
    string? Unavailable { get; }

    /// <summary>The rows, each with the largest thread count in <paramref name="threads"/> that it uses.</summary>
    IReadOnlyList<EnvBenchmarkCase> Cases(IReadOnlyList<int> threads);
}
