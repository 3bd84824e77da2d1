namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>One timed loop of an env benchmark: each <see cref="Step"/> advances <see cref="EnvsPerStep"/> env steps, resets included.</summary>
public interface IEnvStepper : IDisposable
{
    /// <summary>Env steps that one <see cref="Step"/> performs (the number of sub-envs of a vector env).</summary>
    int EnvsPerStep { get; }

    /// <summary>Starts from a seeded state; the loop's random policy is seeded from <paramref name="seed"/> too.</summary>
    void Reset(int seed);

    /// <summary>Picks random actions, steps, and resets whatever episode ended.</summary>
    void Step();
}
