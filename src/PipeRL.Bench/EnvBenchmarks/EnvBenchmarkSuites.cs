namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>
/// Every env family measured by <c>piperl bench envs</c>. To add rows for a family, implement
/// <see cref="IEnvBenchmarkSuite"/> (the generic <see cref="VectorEnvStepper"/> and <see cref="SingleEnvStepper"/>
/// time any <c>IVectorEnv</c> or <c>IEnv</c> under a random policy) and add it to <see cref="All"/>.
/// </summary>
public static class EnvBenchmarkSuites
{
    /// <summary>The registered families, in report order.</summary>
    public static IReadOnlyList<IEnvBenchmarkSuite> All { get; } = [new MinAtarEnvBenchmarks(), new MuJoCoEnvBenchmarks()];
}
