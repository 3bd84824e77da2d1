using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Wrappers;

namespace PipeRL.Envs.Tests.Wrappers;

public sealed class HeldObservationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MTicksPerStepHoldTheObservationAndApplyTheLastTicksAction(int m)
    {
        using var plain = new CartPoleEnv();
        using var wrapped = new HeldObservation(new CartPoleEnv(), m);
        var p = new float[4];
        var w = new float[4];
        plain.Reset(p, seed: 7);
        wrapped.Reset(w, seed: 7);
        var held = (float[])p.Clone();
        for (var tick = 0; tick < 6 * m; tick++)
        {
            // Ticks before the last of each env step choose an action that must be ignored.
            var action = (tick % m == m - 1) ? (tick / m) % 2 : 1 - ((tick / m) % 2);
            var rw = wrapped.Step(action, w);
            if (tick % m == m - 1)
            {
                var rp = plain.Step(action, p);
                Assert.Equal(rp, rw);
                Assert.Equal(p, w);
                Assert.Equal(1.0, wrapped.Info[ActionRepeat.EnvStepsKey]);
                held = (float[])p.Clone();
            }
            else
            {
                Assert.Equal(new StepResult(0, false, false), rw);
                Assert.Equal(held, w);
                Assert.Equal(0.0, wrapped.Info[ActionRepeat.EnvStepsKey]);
            }
        }
    }

    [Fact]
    public void RejectsZeroTicks()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeldObservation(new CartPoleEnv(), 0));
    }

    [Fact]
    public void ACopyThatReadsTheStateContinuesExactlyInsideAHeldStep()
    {
        using var original = new HeldObservation(new CartPoleEnv(4), 3);
        using var copy = new HeldObservation(new CartPoleEnv(40), 3);
        original.Reset(new float[4]);
        copy.Reset(new float[4]);

        // 31 ticks leave the original one tick into a held env step; the copy is at its start.
        StateContinuation.Run(original, 31, actionSeed: 1);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 900) > 0);
    }
}
