using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.ClassicControl;

namespace PipeRL.Envs.Tests.ClassicControl;

public sealed class PendulumEnvTests
{
    [Fact]
    public void StepMatchesHandComputedDynamicsAndCost()
    {
        using var env = new PendulumEnv();
        env.SetState(1.0, -2.0);
        var obs = new float[3];
        var result = env.Step([1.5f], obs);
        Assert.Equal(-1.40225, result.Reward, 10);
        Assert.Equal(0.9428051619302962, env.State.Theta, 12);
        Assert.Equal(-1.1438967613940774, env.State.ThetaDot, 12);
        Assert.Equal([0.587520376262456f, 0.8092093718416897f, -1.1438967613940774f], obs);
        Assert.False(result.Done);
    }

    [Fact]
    public void TorqueIsClippedToTwo()
    {
        using var a = new PendulumEnv();
        using var b = new PendulumEnv();
        a.SetState(0.3, 0.1);
        b.SetState(0.3, 0.1);
        var ra = a.Step([5f], new float[3]);
        var rb = b.Step([2f], new float[3]);
        Assert.Equal(rb.Reward, ra.Reward);
        Assert.Equal(b.State, a.State);
    }

    [Fact]
    public void AngleIsNormalisedLikePythonModulo()
    {
        Assert.Equal(-2.2831853071795862, PendulumEnv.NormalizeAngle(4.0), 12);
        Assert.Equal(2.2831853071795862, PendulumEnv.NormalizeAngle(-4.0), 12);
        Assert.Equal(-Math.PI, PendulumEnv.NormalizeAngle(Math.PI), 12);
    }

    [Fact]
    public void SpeedIsClippedToEight()
    {
        using var env = new PendulumEnv();
        env.SetState(Math.PI / 2, 7.9);
        env.Step([2f], new float[3]);
        Assert.Equal(8.0, env.State.ThetaDot);
    }

    [Fact]
    public void TruncatesAtTwoHundredStepsAndNeverTerminates()
    {
        using var env = new PendulumEnv();
        var obs = new float[3];
        env.Reset(obs, seed: 1);
        Assert.True(env.ObservationSpace.Contains(obs));
        for (var i = 1; i <= PendulumEnv.MaxEpisodeSteps; i++)
        {
            var r = env.Step([0f], obs);
            Assert.False(r.Terminated);
            Assert.Equal(i == PendulumEnv.MaxEpisodeSteps, r.Truncated);
        }
    }

    [Fact]
    public void PassesTheEnvChecker()
    {
        using var env = new PendulumEnv();
        Assert.Empty(EnvChecker.Check(env, seed: 5, steps: 1000));
    }

    [Fact]
    public void ACopyThatReadsTheStateContinuesExactly()
    {
        using var original = new PendulumEnv(4);
        using var copy = new PendulumEnv(40);
        original.Reset(new float[3]);
        copy.Reset(new float[3]);
        StateContinuation.Run(original, 50, actionSeed: 1);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 500) > 0);
    }
}
