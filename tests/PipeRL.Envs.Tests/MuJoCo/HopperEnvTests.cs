using PipeRL.Envs.MuJoCo;

namespace PipeRL.Envs.Tests.MuJoCo;

public sealed class HopperEnvTests
{
    [SkippableFact]
    public void Observation_is_qpos_without_x_then_velocities_clipped_to_10()
    {
        MuJoCoAvailability.Require();
        using var env = new HopperEnv();
        var observation = new float[11];
        env.Reset(observation, seed: 0);

        env.SetState([7.0, 1.3, 0.1, -0.2, -0.3, 0.4], [12.0, -15.0, 1.0, 2.0, 3.0, -4.0]);
        env.Observe(observation);

        Assert.Equal([1.3f, 0.1f, -0.2f, -0.3f, 0.4f, 10f, -10f, 1f, 2f, 3f, -4f], observation);
    }

    [SkippableTheory]
    [InlineData(1.25, 0.0, 0.0, true)]
    [InlineData(0.71, 0.0, 0.0, true)]
    [InlineData(0.70, 0.0, 0.0, false)]
    [InlineData(1.25, 0.199, 0.0, true)]
    [InlineData(1.25, 0.2, 0.0, false)]
    [InlineData(1.25, -0.2, 0.0, false)]
    [InlineData(1.25, 0.0, 99.9, true)]
    [InlineData(1.25, 0.0, 100.0, false)]
    [InlineData(1.25, 0.0, -100.0, false)]
    public void Health_is_height_above_0_7_angle_inside_0_2_and_state_inside_100(double z, double angle, double jointVelocity, bool healthy)
    {
        MuJoCoAvailability.Require();
        using var env = new HopperEnv();
        env.Reset(new float[11], seed: 0);

        // x is outside the state check: a far-travelled hopper stays healthy.
        env.SetState([1000.0, z, angle, 0, 0, 0], [0, 0, 0, jointVelocity, 0, 0]);

        Assert.Equal(healthy, env.IsHealthy);
    }

    [SkippableFact]
    public void Reward_is_x_velocity_plus_1_minus_unclipped_control_cost()
    {
        MuJoCoAvailability.Require();
        using var env = new HopperEnv();
        var observation = new float[11];
        env.Reset(observation, seed: 3);
        env.SetState([0.5, 1.25, 0, 0, 0, 0], [1.0, 0, 0, 0, 0, 0]);

        var result = env.Step([2f, -1f, 0.5f], observation);

        var xVelocity = (env.Data.Qpos[0] - 0.5) / 0.008;
        Assert.True(xVelocity > 0.5, $"the hopper moving at 1 m/s should advance, got {xVelocity}");
        var controlCost = 1e-3 * 5.25;
        Assert.Equal(xVelocity + 1.0 - controlCost, result.Reward, 12);
        Assert.Equal(xVelocity, env.Info["x_velocity"], 12);
        Assert.Equal(env.Data.Qpos[0], env.Info["x_position"]);
        Assert.Equal(-controlCost, env.Info["reward_ctrl"], 15);
        Assert.Equal(1.0, env.Info["reward_survive"]);
        Assert.Equal(2.0, env.Data.Ctrl[0]);
        Assert.False(result.Terminated);
    }

    [SkippableFact]
    public void Falling_below_0_7_terminates()
    {
        MuJoCoAvailability.Require();
        using var env = new HopperEnv();
        var observation = new float[11];
        env.Reset(observation, seed: 0);
        env.SetState([0, 0.5, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]);

        var result = env.Step([0f, 0f, 0f], observation);

        Assert.True(result.Terminated);
        Assert.False(result.Truncated);
        Assert.Equal(1.0, env.Info["reward_survive"]);
        Assert.Throws<InvalidOperationException>(() => env.Step([0f, 0f, 0f], observation));
    }

    [SkippableFact]
    public void Reset_noise_is_uniform_5e_3_on_qpos_then_qvel()
    {
        MuJoCoAvailability.Require();
        using var env = new HopperEnv();
        env.Reset(new float[11], seed: 42);

        var random = new NumpyGenerator(42);
        double[] qpos0 = [0, 1.25, 0, 0, 0, 0];
        var expectedQpos = qpos0.Select(q => q + random.Uniform(-5e-3, 5e-3)).ToArray();
        var expectedQvel = Enumerable.Range(0, 6).Select(_ => 0.0 + random.Uniform(-5e-3, 5e-3)).ToArray();
        Assert.Equal(expectedQpos, env.Data.Qpos.ToArray());
        Assert.Equal(expectedQvel, env.Data.Qvel.ToArray());
    }
}
