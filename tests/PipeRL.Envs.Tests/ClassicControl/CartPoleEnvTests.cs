using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.ClassicControl;

namespace PipeRL.Envs.Tests.ClassicControl;

public sealed class CartPoleEnvTests
{
    [Fact]
    public void PushRightFromRestMatchesHandComputedEulerStep()
    {
        using var env = new CartPoleEnv();
        env.SetState([0, 0, 0, 0]);
        var obs = new float[4];
        var result = env.Step(1, obs);
        Assert.Equal(0.0, env.State[0], 12);
        Assert.Equal(0.1951219512195122, env.State[1], 12);
        Assert.Equal(0.0, env.State[2], 12);
        Assert.Equal(-0.2926829268292683, env.State[3], 12);
        Assert.Equal(new StepResult(1.0, false, false), result);
        Assert.Equal(0.19512195f, obs[1]);
    }

    [Fact]
    public void PushLeftFromAGeneralStateMatchesGymnasium()
    {
        using var env = new CartPoleEnv();
        env.SetState([0.1, -0.2, 0.05, 0.3]);
        env.Step(0, new float[4]);
        double[] expected = [0.096, -0.3957976546439626, 0.056, 0.6080233136061515];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], env.State[i], 12);
        }
    }

    [Fact]
    public void PoleBeyondTwelveDegreesTerminatesWithRewardOne()
    {
        using var env = new CartPoleEnv();
        env.SetState([0, 0, 0.2094, 1.0]);
        var result = env.Step(1, new float[4]);
        Assert.True(result.Terminated);
        Assert.False(result.Truncated);
        Assert.Equal(1.0, result.Reward);
        Assert.Throws<InvalidOperationException>(() => env.Step(1, new float[4]));
    }

    [Fact]
    public void BalancedEpisodeTruncatesAtFiveHundredSteps()
    {
        using var env = new CartPoleEnv();
        var obs = new float[4];
        env.Reset(obs, seed: 3);
        var steps = 0;
        StepResult result;
        do
        {
            // A simple stabilising controller: push toward where the pole is falling.
            var action = (obs[2] + (0.5f * obs[3]) + (0.01f * obs[0]) + (0.1f * obs[1])) > 0 ? 1 : 0;
            result = env.Step(action, obs);
            steps++;
        }
        while (!result.Done);

        Assert.Equal(CartPoleEnv.MaxEpisodeSteps, steps);
        Assert.True(result.Truncated);
        Assert.False(result.Terminated);
    }

    [Fact]
    public void ResetDrawsUniformStateInRangeAndIsReproducible()
    {
        using var a = new CartPoleEnv();
        using var b = new CartPoleEnv(99);
        var oa = new float[4];
        var ob = new float[4];
        a.Reset(oa, seed: 7);
        b.Reset(ob, seed: 7);
        Assert.Equal(oa, ob);
        Assert.All(oa, v => Assert.InRange(v, -0.05f, 0.05f));
        Assert.True(a.ObservationSpace.Contains(oa));
    }

    [Fact]
    public void InvalidActionIsRejected()
    {
        using var env = new CartPoleEnv();
        env.Reset(new float[4]);
        var ex = Assert.Throws<ArgumentException>(() => env.Step(2, new float[4]));
        Assert.Contains("0 (push left) or 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PassesTheEnvChecker()
    {
        using var env = new CartPoleEnv();
        Assert.Empty(EnvChecker.Check(env, seed: 5, steps: 1000));
    }

    [Fact]
    public void ACopyThatReadsTheStateContinuesExactly()
    {
        using var original = new CartPoleEnv(4);
        using var copy = new CartPoleEnv(40);
        original.Reset(new float[4]);
        copy.Reset(new float[4]);
        StateContinuation.Run(original, 50, actionSeed: 1);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 600) > 0);
    }
}
