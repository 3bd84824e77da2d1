using PipeRL.Envs.MuJoCo;

namespace PipeRL.Envs.Tests.MuJoCo;

public sealed class HalfCheetahEnvTests
{
    [SkippableFact]
    public void Observation_is_qpos_without_x_then_unclipped_velocities()
    {
        MuJoCoAvailability.Require();
        using var env = new HalfCheetahEnv();
        var observation = new float[17];
        env.Reset(observation, seed: 0);

        env.SetState([9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [20, -30, 1, 2, 3, 4, 5, 6, 7]);
        env.Observe(observation);

        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 20f, -30f, 1f, 2f, 3f, 4f, 5f, 6f, 7f], observation);
    }

    [SkippableFact]
    public void Reward_is_x_velocity_minus_0_1_control_cost_and_only_the_time_limit_ends_an_episode()
    {
        MuJoCoAvailability.Require();
        using var env = new HalfCheetahEnv();
        var observation = new float[17];
        env.Reset(observation, seed: 0);
        env.SetState([0, -2, 3, 0, 0, 0, 0, 0, 0], new double[9]);
        float[] action = [1, 0, 0, 0, 0, -2];

        for (var t = 1; t < MuJoCoEnv.MaxEpisodeSteps; t++)
        {
            var before = env.Data.Qpos[0];
            var step = env.Step(action, observation);
            Assert.False(step.Done, $"step {t} ended the episode");
            if (t == 1)
            {
                var xVelocity = (env.Data.Qpos[0] - before) / 0.05;
                Assert.Equal(xVelocity - (0.1 * 5), step.Reward, 12);
                Assert.Equal(xVelocity, env.Info["reward_run"], 12);
                Assert.Equal(-0.5, env.Info["reward_ctrl"], 15);
            }
        }

        var last = env.Step(action, observation);
        Assert.Equal((false, true), (last.Terminated, last.Truncated));
        Assert.Equal(MuJoCoEnv.MaxEpisodeSteps, env.ElapsedSteps);
        Assert.Throws<InvalidOperationException>(() => env.Step(action, observation));
    }

    [SkippableFact]
    public void Reset_noise_is_uniform_0_1_on_qpos_then_0_1_normal_on_qvel()
    {
        MuJoCoAvailability.Require();
        using var env = new HalfCheetahEnv();
        env.Reset(new float[17], seed: 7);

        var random = new NumpyGenerator(7);
        var expectedQpos = Enumerable.Range(0, 9).Select(_ => 0.0 + random.Uniform(-0.1, 0.1)).ToArray();
        var expectedQvel = Enumerable.Range(0, 9).Select(_ => 0.0 + (0.1 * random.StandardNormal())).ToArray();
        Assert.Equal(expectedQpos, env.Data.Qpos.ToArray());
        Assert.Equal(expectedQvel, env.Data.Qvel.ToArray());
    }
}
