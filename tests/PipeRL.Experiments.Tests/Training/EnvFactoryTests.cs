using PipeRL.Envs;
using PipeRL.Envs.MuJoCo;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Tests.Training;

public sealed class EnvFactoryTests
{
    [Fact]
    public void VectorEnvCopyIMatchesASingleEnvSeededSeedPlusI()
    {
        foreach (var id in new[] { "minatar/breakout", "classic/cartpole" })
        {
            using var vec = EnvFactory.CreateVector(id, 3, seed: 10, Tau.One);
            using var single = EnvFactory.Create(id, seed: 12, Tau.One);
            var size = single.ObservationSpace.FlatSize;
            var all = new float[3 * size];
            var one = new float[size];
            vec.Reset(all, seed: 10);
            single.Reset(one, seed: 12);
            Assert.Equal(one, all[(2 * size)..]);
            Assert.Equal(AutoresetMode.SameStep, vec.AutoresetMode);
        }
    }

    [SkippableFact]
    public void MuJoCoVectorEnvsShareOneModelAndMatchSingleEnvsSeededSeedPlusI()
    {
        var unavailable = MuJoCoEnvs.UnavailableReason;
        Skip.If(unavailable is not null, unavailable);
        Assert.Contains("mujoco/ant", EnvFactory.Ids);

        using var vec = EnvFactory.CreateVector("mujoco/hopper", 3, seed: 10, Tau.One, threads: 2);
        using var single = EnvFactory.Create("mujoco/hopper", seed: 12, Tau.One);
        var all = new float[3 * 11];
        var one = new float[11];
        vec.Reset(all, seed: 10);
        single.Reset(one, seed: 12);

        Assert.IsType<MuJoCoVectorEnv>(vec);
        Assert.Equal(AutoresetMode.SameStep, vec.AutoresetMode);
        Assert.Equal(one, all[22..]);
    }

    [Fact]
    public void TauAboveOneRepeatsActions()
    {
        using var env = EnvFactory.Create("classic/pendulum", 0, Tau.Steps(3));
        env.Reset(new float[3], seed: 1);
        env.Step([0f], new float[3]);
        Assert.Equal(3.0, env.Info["env_steps"]);
    }

    [Fact]
    public void FractionalTauHoldsTheObservationAndStepsTheEnvOnTheLastTick()
    {
        using var held = EnvFactory.CreateVector("classic/cartpole", 2, seed: 5, Tau.Fraction(3));
        using var plain = EnvFactory.CreateVector("classic/cartpole", 2, seed: 5, Tau.One);
        float[] heldObs = new float[8], plainObs = new float[8], start = new float[8];
        held.Reset(heldObs, seed: 5);
        plain.Reset(plainObs, seed: 5);
        heldObs.CopyTo(start, 0);
        Assert.Equal(plainObs, heldObs);
        var (rewards, terminated, truncated) = (new double[2], new bool[2], new bool[2]);
        var plainRewards = new double[2];
        for (var tick = 1; tick <= 6; tick++)
        {
            // The action of ticks 1-2 and 4-5 is ignored: only ticks 3 and 6 (action 1) reach the env.
            held.Step(tick % 3 == 0 ? [1f, 1f] : [0f, 0f], heldObs, rewards, terminated, truncated);
            if (tick % 3 != 0)
            {
                Assert.Equal(tick < 3 ? start : plainObs, heldObs);
                Assert.Equal([0.0, 0.0], rewards);
                continue;
            }

            plain.Step([1f, 1f], plainObs, plainRewards, terminated, truncated);
            Assert.Equal(plainObs, heldObs);
            Assert.Equal(plainRewards, rewards);
        }
    }

    [Fact]
    public void UnknownEnvListsTheValidIds()
    {
        var ex = Assert.Throws<UserInputException>(() => EnvFactory.Create("atari/pong", 0, Tau.One));
        Assert.Contains("minatar/breakout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("classic/cartpole", ex.Message, StringComparison.Ordinal);
    }
}
