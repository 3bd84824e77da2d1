using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Wrappers;

namespace PipeRL.Envs.Tests.Wrappers;

public sealed class ActionRepeatTests
{
    [Fact]
    public void OneAgentStepEqualsKRawStepsWithSummedRewards()
    {
        using var raw = new PendulumEnv();
        using var wrapped = new ActionRepeat(new PendulumEnv(), 3);
        var rawObs = new float[3];
        var wObs = new float[3];
        raw.Reset(rawObs, seed: 4);
        wrapped.Reset(wObs, seed: 4);
        for (var agentStep = 0; agentStep < 5; agentStep++)
        {
            float[] torque = [agentStep - 2f];
            var sum = 0.0;
            for (var k = 0; k < 3; k++)
            {
                sum += raw.Step(torque, rawObs).Reward;
            }

            var r = wrapped.Step(torque, wObs);
            Assert.Equal(sum, r.Reward, 12);
            Assert.Equal(rawObs, wObs);
            Assert.Equal(3.0, wrapped.Info[ActionRepeat.EnvStepsKey]);
        }
    }

    [Fact]
    public void StopsEarlyWhenTheEpisodeEnds()
    {
        using var wrapped = new ActionRepeat(new CartPoleEnv(), 4);
        var obs = new float[4];
        wrapped.Reset(obs, seed: 0);
        var rawSteps = 0;
        StepResult r;
        do
        {
            r = wrapped.Step(1, obs);
            rawSteps += (int)wrapped.Info[ActionRepeat.EnvStepsKey];
        }
        while (!r.Done);

        using var raw = new CartPoleEnv();
        raw.Reset(new float[4], seed: 0);
        var expected = 0;
        while (!raw.Step(1, new float[4]).Done)
        {
            expected++;
        }

        Assert.Equal(expected + 1, rawSteps);
        Assert.True(r.Terminated);
    }

    [Fact]
    public void RepeatBelowOneIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActionRepeat(new CartPoleEnv(), 0));

    [Fact]
    public void ACopyThatReadsTheStateContinuesExactly()
    {
        using var original = new ActionRepeat(new CartPoleEnv(4), 3);
        using var copy = new ActionRepeat(new CartPoleEnv(40), 3);
        original.Reset(new float[4]);
        copy.Reset(new float[4]);
        StateContinuation.Run(original, 5, actionSeed: 1);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 300) > 0);
    }
}
