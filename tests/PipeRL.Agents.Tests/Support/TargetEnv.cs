using PipeRL.Envs;

namespace PipeRL.Agents.Tests.Support;

/// <summary>
/// A one-step continuous bandit with a known optimum: the observation is a target c in [−1, 1], the reward of
/// action a is −(a − c)², and every step ends the episode. The best policy earns 0.
/// </summary>
internal sealed class TargetEnv(uint seed) : IEnv
{
    private readonly NumpyRandomState _random = new(seed);
    private float _target;

    public string Id => "test/target";

    public BoxSpace ObservationSpace { get; } = new([1], -1f, 1f);

    public Space ActionSpace { get; } = new BoxSpace([1], -2f, 2f);

    public EnvInfo Info { get; } = new();

    public void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s)
        {
            _random.Seed((uint)s);
        }

        _target = (float)_random.Uniform(-1, 1);
        observation[0] = _target;
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var error = action[0] - _target;
        observation[0] = _target;
        return new StepResult(-(error * error), true, false);
    }

    public void Dispose()
    {
    }
}
