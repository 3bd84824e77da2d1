using PipeRL.Envs;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>Times one <see cref="IEnv"/> under a random policy, resetting when an episode ends.</summary>
public sealed class SingleEnvStepper(IEnv env) : IEnvStepper
{
    private readonly float[] _observation = new float[env.ObservationSpace.FlatSize];
    private readonly float[] _action = new float[env.ActionSpace.FlatSize];
    private readonly RandomPolicy _policy = new(env.ActionSpace, 0);

    /// <inheritdoc/>
    public int EnvsPerStep => 1;

    /// <inheritdoc/>
    public void Reset(int seed)
    {
        _policy.Seed(seed);
        env.Reset(_observation, seed);
    }

    /// <inheritdoc/>
    public void Step()
    {
        _policy.Sample(_action);
        if (env.Step(_action, _observation).Done)
        {
            env.Reset(_observation);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => env.Dispose();
}
