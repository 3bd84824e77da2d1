using PipeRL.Envs.MuJoCo;

namespace PipeRL.Envs.Tests.MuJoCo;

public sealed class Walker2dEnvTests
{
    [SkippableFact]
    public void Observation_is_qpos_without_x_then_velocities_clipped_to_10()
    {
        MuJoCoAvailability.Require();
        using var env = new Walker2dEnv();
        var observation = new float[17];
        env.Reset(observation, seed: 0);

        env.SetState([5, 1.2, 0.1, -0.1, -0.2, 0.3, -0.4, -0.5, 0.6], [11, -1, 2, -3, 4, -5, 6, -70, 8]);
        env.Observe(observation);

        Assert.Equal([1.2f, 0.1f, -0.1f, -0.2f, 0.3f, -0.4f, -0.5f, 0.6f, 10f, -1f, 2f, -3f, 4f, -5f, 6f, -10f, 8f], observation);
    }

    [SkippableTheory]
    [InlineData(1.25, 0.0, true)]
    [InlineData(0.8, 0.0, false)]
    [InlineData(0.81, 0.0, true)]
    [InlineData(2.0, 0.0, false)]
    [InlineData(1.99, 0.0, true)]
    [InlineData(1.25, 0.99, true)]
    [InlineData(1.25, 1.0, false)]
    [InlineData(1.25, -1.0, false)]
    public void Health_is_height_in_0_8_to_2_and_angle_inside_1(double z, double angle, bool healthy)
    {
        MuJoCoAvailability.Require();
        using var env = new Walker2dEnv();
        env.Reset(new float[17], seed: 0);

        // Walker2d has no velocity check: a huge joint velocity stays healthy.
        env.SetState([0, z, angle, 0, 0, 0, 0, 0, 0], [0, 0, 0, 500, 0, 0, 0, 0, 0]);

        Assert.Equal(healthy, env.IsHealthy);
    }

    [SkippableFact]
    public void Reward_is_x_velocity_plus_1_minus_control_cost_and_a_fall_terminates()
    {
        MuJoCoAvailability.Require();
        using var env = new Walker2dEnv();
        var observation = new float[17];
        env.Reset(observation, seed: 0);
        env.SetState([0, 1.25, 0, 0, 0, 0, 0, 0, 0], [-2, 0, 0, 0, 0, 0, 0, 0, 0]);

        var result = env.Step([1f, 1f, 1f, -1f, -1f, -1f], observation);

        var xVelocity = env.Data.Qpos[0] / 0.008;
        Assert.True(xVelocity < -1, $"moving at -2 m/s should go backwards, got {xVelocity}");
        Assert.Equal(xVelocity + 1.0 - 6e-3, result.Reward, 12);
        Assert.False(result.Terminated);

        env.SetState([0, 0.75, 0, 0, 0, 0, 0, 0, 0], new double[9]);
        Assert.True(env.Step(new float[6], observation).Terminated);
    }
}
