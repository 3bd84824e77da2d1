using PipeRL.Envs;

namespace PipeRL.Agents.Tests.Support;

/// <summary>
/// A deterministic task where acting well at delay 1 needs the action in flight: the state s in 0..K−1 is shown
/// one-hot, action a in {0, 1} moves it to (s + a) mod K, and the reward is 1 when a equals the parity of the s it
/// is applied in. An actor deciding a_(t+1) from o_t must know a_t to know s_(t+1)'s parity. Episodes last
/// <paramref name="length"/> steps (then truncated); the optimum earns one per step.
/// </summary>
internal sealed class ParityEnv(uint seed, int states = 4, int length = 16) : IEnv
{
    private readonly NumpyRandomState _random = new(seed);
    private int _state;
    private int _steps;

    public string Id => "test/parity";

    public BoxSpace ObservationSpace { get; } = new([states], 0f, 1f);

    public Space ActionSpace { get; } = new DiscreteSpace(2);

    public EnvInfo Info { get; } = new();

    public void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s)
        {
            _random.Seed((uint)s);
        }

        _state = _random.NextInt(0, states);
        _steps = 0;
        Show(observation);
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var a = (int)action[0];
        var reward = a == _state % 2 ? 1.0 : 0.0;
        _state = (_state + a) % states;
        _steps++;
        Show(observation);
        return new StepResult(reward, false, _steps >= length);
    }

    public void Dispose()
    {
    }

    private void Show(Span<float> observation)
    {
        observation.Clear();
        observation[_state] = 1f;
    }
}
