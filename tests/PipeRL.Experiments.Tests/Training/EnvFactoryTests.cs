using PipeRL.Envs;
using PipeRL.Envs.MuJoCo;
using PipeRL.Experiments.Training;

namespace PipeRL.Experiments.Tests.Training;

public sealed class EnvFactoryTests
{
    [Fact]
    public void VectorEnvCopyIMatchesASingleEnvSeededSeedPlusI()
    {
        foreach (var id in new[] { "minatar/breakout", "classic/cartpole" })
        {
            using var vec = EnvFactory.CreateVector(id, 3, seed: 10, tau: 1);
            using var single = EnvFactory.Create(id, seed: 12, tau: 1);
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

        using var vec = EnvFactory.CreateVector("mujoco/hopper", 3, seed: 10, tau: 1, threads: 2);
        using var single = EnvFactory.Create("mujoco/hopper", seed: 12, tau: 1);
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
        using var env = EnvFactory.Create("classic/pendulum", 0, tau: 3);
        env.Reset(new float[3], seed: 1);
        env.Step([0f], new float[3]);
        Assert.Equal(3.0, env.Info["env_steps"]);
    }

    [Fact]
    public void UnknownEnvListsTheValidIds()
    {
        var ex = Assert.Throws<ArgumentException>(() => EnvFactory.Create("atari/pong", 0, 1));
        Assert.Contains("minatar/breakout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("classic/cartpole", ex.Message, StringComparison.Ordinal);
    }
}
