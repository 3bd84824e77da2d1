using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.MinAtar;
using PipeRL.Tests;

namespace PipeRL.Envs.Tests.MinAtar;

public sealed class MinAtarEnvTests
{
    [Fact]
    public void MinimalActionsMapToFullSetIndices()
    {
        using var env = MinAtarGames.Create("minatar/freeway-minimal", stickyActionProbability: 0);
        Assert.Equal([0, 2, 4], Enumerable.Range(0, 3).Select(env.FullAction).ToArray());
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 0);
        env.Step(2, observation);
        Assert.Equal((int)MinAtarAction.Down, env.Environment.LastAction);
    }

    [Fact]
    public void ResetWithSeedReproducesTheTrajectory()
    {
        using var env = MinAtarGames.Create("minatar/asterix");
        var first = Play(env, seed: 11);
        var again = Play(env, seed: 11);
        var other = Play(env, seed: 12);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void ActionOutsideTheActionSetIsRefused()
    {
        using var env = MinAtarGames.Create("minatar/breakout-minimal");
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 0);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(3, observation));
        Assert.Contains("0..2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([0.5f], observation));
    }

    [Fact]
    public void StepBeforeResetOrAfterTerminalIsRefused()
    {
        using var env = MinAtarGames.Create("minatar/breakout", stickyActionProbability: 0);
        var observation = new float[env.ObservationSpace.FlatSize];
        Assert.Throws<InvalidOperationException>(() => env.Step(0, observation));
        env.Reset(observation, seed: 0);
        while (!env.Step(0, observation).Terminated)
        {
        }

        var ex = Assert.Throws<InvalidOperationException>(() => env.Step(0, observation));
        Assert.Contains("call Reset first", ex.Message, StringComparison.Ordinal);
        env.Reset(observation);
        Assert.False(env.Step(0, observation).Done);
    }

    [Fact]
    public void ObservationIsZeroOneInRowColumnChannelOrder()
    {
        using var env = MinAtarGames.Create("minatar/breakout");
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 0);

        // Seed 0 starts the ball at (3, 0) inside the brick row; the paddle is at (9, 4).
        Assert.Equal(1f, observation[((9 * 10) + 4) * 4]);
        Assert.Equal(1f, observation[(((3 * 10) + 0) * 4) + 1]);
        Assert.Equal(1f, observation[(((3 * 10) + 0) * 4) + 2]);
        Assert.Equal(1 + 1 + 1 + 30, observation.Sum());
        Assert.All(observation, v => Assert.True(v is 0f or 1f));
    }

    [Fact]
    public void WrongObservationBufferIsRefused()
    {
        using var env = MinAtarGames.Create("minatar/freeway");
        var ex = Assert.Throws<ArgumentException>(() => env.Reset(new float[400], seed: 0));
        Assert.Contains("700", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeSeedIsRefused()
    {
        using var env = MinAtarGames.Create("minatar/freeway");
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Reset(new float[700], seed: -1));
    }

    public static TheoryData<string> AllIds() => [.. MinAtarGames.Ids];

    [Theory]
    [MemberData(nameof(AllIds))]
    public void StepsAndResetsAllocateNothing(string id)
    {
        using var env = MinAtarGames.Create(id);
        var observation = new float[env.ObservationSpace.FlatSize];
        var n = ((DiscreteSpace)env.ActionSpace).N;
        env.Reset(observation, seed: 5);
        Run(2_000);
        Assert.Equal(0, Allocation.InSteadyLoop(() => Run(20_000)));

        void Run(int steps)
        {
            for (var t = 0; t < steps; t++)
            {
                if (env.Step(t % n, observation).Done)
                {
                    env.Reset(observation);
                }
            }
        }
    }

    private static List<string> Play(MinAtarEnv env, int seed)
    {
        var observation = new float[env.ObservationSpace.FlatSize];
        var log = new List<string>();
        env.Reset(observation, seed);
        for (var t = 0; t < 300; t++)
        {
            var result = env.Step(t % 6, observation);
            log.Add($"{result.Reward}{result.Terminated}{string.Concat(observation.Select(v => v > 0 ? '1' : '0'))}");
            if (result.Done)
            {
                env.Reset(observation);
            }
        }

        return log;
    }

    [Theory]
    [InlineData("minatar/asterix")]
    [InlineData("minatar/breakout")]
    [InlineData("minatar/freeway-minimal")]
    [InlineData("minatar/seaquest")]
    [InlineData("minatar/space_invaders")]
    public void ACopyThatReadsTheStateContinuesExactly(string id)
    {
        using var original = MinAtarGames.Create(id, seed: 4);
        using var copy = MinAtarGames.Create(id, seed: 40);
        original.Reset(new float[original.ObservationSpace.FlatSize]);
        copy.Reset(new float[copy.ObservationSpace.FlatSize]);
        StateContinuation.Run(original, 200, actionSeed: 1);
        StateContinuation.Run(copy, 11, actionSeed: 2);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 3000) > 0, "no episode ended, so resets were not compared");
    }
}
