using PipeRL.Envs;

namespace PipeRL.Agents.Tests.Support;

/// <summary>
/// A task where acting well at delay 1 needs the action in flight. Each step shows a fresh random bit r_t (one-hot);
/// an action is a pair (c1, c2) of bits (index 2·c1 + c2). The action applied at step t earns 0.5 when c1 equals
/// r_(t−1), the bit shown one step before (what a delay-1 actor saw when it chose), and 0.5 when c2 equals the c1 of
/// the action applied at step t − 1. A delay-1 actor choosing a_(t+1) from [o_t; history] meets the second half only
/// if its input holds a_t, the action in flight: c1 carries a random bit that no earlier input holds. Episodes last
/// <paramref name="length"/> steps (truncated): the optimum earns about one a step, a policy blind to a_t three quarters.
/// With <paramref name="showsPast"/> the observation also shows r_(t−1) and the c1 of a_(t−1) (one-hot, zeros before
/// the first), so it is the Markov state an undelayed critic needs; a delay-1 actor still has to know a_t.
/// </summary>
internal sealed class EchoEnv(uint seed, int length = 16, bool showsPast = false) : IEnv
{
    private readonly NumpyRandomState _random = new(seed);
    private int _shown;
    private int _previousShown;
    private int _previousFirst;
    private int _steps;

    public string Id => "test/echo";

    public BoxSpace ObservationSpace { get; } = new([showsPast ? 6 : 2], 0f, 1f);

    public Space ActionSpace { get; } = new DiscreteSpace(4);

    public EnvInfo Info { get; } = new();

    public void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s)
        {
            _random.Seed((uint)s);
        }

        (_steps, _previousFirst) = (0, -1);
        _previousShown = -1;
        Show(observation);
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var a = (int)action[0];
        int first = a / 2, second = a % 2;
        var reward = (first == _previousShown ? 0.5 : 0) + (second == _previousFirst ? 0.5 : 0);
        _previousFirst = first;
        _steps++;
        Show(observation);
        return new StepResult(reward, false, _steps >= length);
    }

    public void Dispose()
    {
    }

    private void Show(Span<float> observation)
    {
        // Without showsPast an episode's first action is scored against the last bit of the episode before, which no
        // input shows (the PPO test's thresholds were set so); the Markov variant scores nothing there.
        _previousShown = showsPast && _steps == 0 ? -1 : _shown;
        _shown = _random.NextInt(0, 2);
        observation.Clear();
        observation[_shown] = 1f;
        if (showsPast && _steps > 0)
        {
            observation[2 + _previousShown] = 1f;
            observation[4 + _previousFirst] = 1f;
        }
    }
}
