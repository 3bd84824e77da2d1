using PipeRL.Envs.MinAtar;

namespace PipeRL.Envs.Tests.Core;

public sealed class EnvCheckerTests
{
    [Theory]
    [InlineData("minatar/breakout")]
    [InlineData("minatar/freeway-minimal")]
    [InlineData("minatar/asterix")]
    public void MinAtarEnvsKeepTheContract(string id)
    {
        using var env = MinAtarGames.Create(id);
        Assert.Empty(EnvChecker.Check(env, seed: 3, steps: 400));
    }

    [Fact]
    public void ACorrectFakeEnvPasses()
    {
        using var env = new FakeEnv();
        Assert.Empty(EnvChecker.Check(env));
    }

    [Fact]
    public void ObservationOutsideTheSpaceIsReported()
    {
        using var env = new FakeEnv { ObservationValue = 2f };
        var problems = EnvChecker.Check(env);
        Assert.Contains(problems, p => p.Contains("outside the bounds", StringComparison.Ordinal));
    }

    [Fact]
    public void UnwrittenObservationIsReported()
    {
        using var env = new FakeEnv { WritesObservation = false };
        Assert.Contains(EnvChecker.Check(env), p => p.Contains("left element 0 unwritten", StringComparison.Ordinal));
    }

    [Fact]
    public void StepAfterDoneMustBeRefused()
    {
        using var env = new FakeEnv { RefusesStepAfterDone = false };
        Assert.Contains(EnvChecker.Check(env), p => p.Contains("next Step was accepted", StringComparison.Ordinal));
    }

    [Fact]
    public void NondeterminismIsReported()
    {
        using var env = new FakeEnv { IgnoresSeed = true };
        Assert.Contains(EnvChecker.Check(env), p => p.Contains("deterministic", StringComparison.Ordinal));
    }

    [Fact]
    public void BadActionsAndBuffersMustBeRefused()
    {
        using var env = new FakeEnv { ValidatesInput = false };
        var problems = EnvChecker.Check(env);
        Assert.Contains(problems, p => p.Contains("wrong size", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("action outside Discrete(3)", StringComparison.Ordinal));
    }

    [Fact]
    public void AssertValidListsTheProblems()
    {
        using var env = new FakeEnv { ObservationValue = -1f };
        var ex = Assert.Throws<InvalidOperationException>(() => EnvChecker.AssertValid(env));
        Assert.Contains("fake/env breaks the env contract", ex.Message, StringComparison.Ordinal);
    }

    // A tiny counter env: the observation is the step count scaled into [0, 1]; episodes last 7 steps.
    private sealed class FakeEnv : IEnv
    {
        private int _t;
        private int _counter;
        private bool _done = true;

        public float ObservationValue { get; init; } = 0.5f;

        public bool WritesObservation { get; init; } = true;

        public bool RefusesStepAfterDone { get; init; } = true;

        public bool IgnoresSeed { get; init; }

        public bool ValidatesInput { get; init; } = true;

        public string Id => "fake/env";

        public BoxSpace ObservationSpace { get; } = new([2], 0f, 1f);

        public Space ActionSpace { get; } = new DiscreteSpace(3);

        public EnvInfo Info { get; } = new();

        public void Reset(Span<float> observation, int? seed = null)
        {
            Validate(observation);
            _t = IgnoresSeed && _counter++ > 0 ? 1 : 0;
            _done = false;
            Write(observation);
        }

        public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            if (_done && RefusesStepAfterDone)
            {
                throw new InvalidOperationException("reset first");
            }

            if (ValidatesInput && !ActionSpace.Contains(action))
            {
                throw new ArgumentOutOfRangeException(nameof(action));
            }

            _t++;
            _done = _t % 7 == 0;
            Write(observation);
            return new StepResult(action[0], _done, false);
        }

        public void Dispose()
        {
        }

        private void Validate(Span<float> observation)
        {
            if (ValidatesInput && observation.Length != 2)
            {
                throw new ArgumentException("wrong size", nameof(observation));
            }
        }

        private void Write(Span<float> observation)
        {
            if (WritesObservation)
            {
                observation[0] = ObservationValue;
                observation[1] = (_t % 7) / 7f;
            }
        }
    }
}
