using PipeRL.Envs;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>Times an <see cref="IVectorEnv"/> under a random policy; its autoreset does the resets.</summary>
public sealed class VectorEnvStepper : IEnvStepper
{
    private readonly IVectorEnv _env;
    private readonly RandomPolicy _policy;
    private readonly float[] _observations;
    private readonly float[] _actions;
    private readonly double[] _rewards;
    private readonly bool[] _terminated;
    private readonly bool[] _truncated;
    private readonly int _actionSize;

    /// <summary>Wraps <paramref name="env"/>, which the stepper disposes.</summary>
    public VectorEnvStepper(IVectorEnv env)
    {
        _env = env;
        _policy = new RandomPolicy(env.SingleActionSpace, 0);
        _actionSize = env.SingleActionSpace.FlatSize;
        _observations = new float[env.NumEnvs * env.SingleObservationSpace.FlatSize];
        _actions = new float[env.NumEnvs * _actionSize];
        _rewards = new double[env.NumEnvs];
        _terminated = new bool[env.NumEnvs];
        _truncated = new bool[env.NumEnvs];
    }

    /// <inheritdoc/>
    public int EnvsPerStep => _env.NumEnvs;

    /// <inheritdoc/>
    public void Reset(int seed)
    {
        _policy.Seed(seed);
        _env.Reset(_observations, seed);
    }

    /// <inheritdoc/>
    public void Step()
    {
        for (var i = 0; i < _env.NumEnvs; i++)
        {
            _policy.Sample(_actions.AsSpan(i * _actionSize, _actionSize));
        }

        _env.Step(_actions, _observations, _rewards, _terminated, _truncated);
    }

    /// <inheritdoc/>
    public void Dispose() => _env.Dispose();
}
