using PipeRL.Envs;

namespace PipeRL.Agents.Tests.Support;

/// <summary>
/// A discrete task with a known optimum that a delayed actor can also solve: a context c in {0, 1, 2} is drawn at
/// reset and shown one-hot for the whole episode of 8 steps; action c earns 1, any other 0. The optimum is 8 (7 for
/// an actor delayed by one tick), uniform random play earns 8/3.
/// </summary>
internal sealed class ContextEnv(uint seed) : IEnv
{
    public const int Length = 8;
    private readonly NumpyRandomState _random = new(seed);
    private int _context;
    private int _steps;

    public string Id => "test/context";

    public BoxSpace ObservationSpace { get; } = new([3], 0f, 1f);

    public Space ActionSpace { get; } = new DiscreteSpace(3);

    public EnvInfo Info { get; } = new();

    public void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s)
        {
            _random.Seed((uint)s);
        }

        _context = (int)(_random.Uniform(0, 1) * 3);
        _steps = 0;
        Observe(observation);
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _steps++;
        Observe(observation);
        return new StepResult((int)action[0] == _context ? 1 : 0, false, _steps == Length);
    }

    public void Dispose()
    {
    }

    private void Observe(Span<float> observation)
    {
        observation.Clear();
        observation[_context] = 1f;
    }
}
