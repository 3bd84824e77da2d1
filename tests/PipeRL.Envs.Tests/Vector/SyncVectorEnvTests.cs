using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Vector;
using PipeRL.Envs.Wrappers;

namespace PipeRL.Envs.Tests.Vector;

public sealed class SyncVectorEnvTests
{
    [Fact]
    public void SubEnvIMatchesASingleEnvSeededSeedPlusI()
    {
        using var vec = SyncVectorEnv.Create(3, _ => new CartPoleEnv());
        var obs = new float[12];
        vec.Reset(obs, seed: 10);
        using var single = new CartPoleEnv();
        var one = new float[4];
        single.Reset(one, seed: 12);
        Assert.Equal(one, obs[8..12]);
    }

    [Fact]
    public void EpisodeEndResetsInTheSameStepAndKeepsTheFinalObservation()
    {
        using var vec = SyncVectorEnv.Create(2, _ => new CartPoleEnv());
        var obs = new float[8];
        vec.Reset(obs, seed: 0);
        var rewards = new double[2];
        var term = new bool[2];
        var trunc = new bool[2];
        using var reference = new CartPoleEnv();
        var refObs = new float[4];
        reference.Reset(refObs, seed: 0);
        for (var step = 0; step < 100; step++)
        {
            vec.Step([1f, 0f], obs, rewards, term, trunc);
            var r = reference.Step(1, refObs);
            if (r.Done)
            {
                Assert.True(term[0]);
                Assert.Equal(refObs, vec.FinalObservation(0).ToArray());
                Assert.InRange(obs[0], -0.05f, 0.05f);
                return;
            }

            Assert.Equal(refObs, obs[0..4]);
        }

        Assert.Fail("Always pushing right should end the episode within 100 steps.");
    }

    [Fact]
    public void ACopyThatReadsTheStateContinuesExactly()
    {
        using var original = SyncVectorEnv.Create(3, i => new CartPoleEnv((uint)i));
        using var copy = SyncVectorEnv.Create(3, i => new CartPoleEnv((uint)(i + 10)));
        original.Reset(new float[12], seed: 5);
        copy.Reset(new float[12], seed: 9);
        StateContinuation.Run(original, 40, actionSeed: 1);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 300) > 0);
    }

    [Fact]
    public void SubEnvsThatCannotSaveTheirStateAreNamed()
    {
        using var vector = new SyncVectorEnv([new StatelessEnv()]);
        var message = Assert.Throws<NotSupportedException>(() => StateContinuation.Save(vector)).Message;
        Assert.Contains("'stateless'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, new[] { 2, 2, 2, 2, 2, 2 })]
    // Episodes of 5 and 4 steps: the repeat of 3 is cut to 2 and to 1 on the tick that ends each episode.
    [InlineData(3, new[] { 6, 3, 6, 3, 6, 3 })]
    public void LastEnvStepsCountsTheStepsActionRepeatsTook(int repeat, int[] expected)
    {
        using var envs = SyncVectorEnv.Create(2, i => repeat == 1 ? new FixedLengthEnv(5 - i) : new ActionRepeat(new FixedLengthEnv(5 - i), repeat));
        var observations = new float[2];
        var rewards = new double[2];
        var terminated = new bool[2];
        var truncated = new bool[2];
        envs.Reset(observations);
        var taken = new List<int>();
        for (var tick = 0; tick < expected.Length; tick++)
        {
            envs.Step(new float[2], observations, rewards, terminated, truncated);
            taken.Add(envs.LastEnvSteps);
        }

        Assert.Equal(expected, taken);
    }

    [Fact]
    public void AHeldObservationStepsTheEnvOnceEveryMTicks()
    {
        using var envs = SyncVectorEnv.Create(3, _ => new HeldObservation(new FixedLengthEnv(4), 2));
        var observations = new float[3];
        envs.Reset(observations);
        var taken = new List<int>();
        for (var tick = 0; tick < 6; tick++)
        {
            envs.Step(new float[3], observations, new double[3], new bool[3], new bool[3]);
            taken.Add(envs.LastEnvSteps);
        }

        Assert.Equal([0, 3, 0, 3, 0, 3], taken);
    }
}
