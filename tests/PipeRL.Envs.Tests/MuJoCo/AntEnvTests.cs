using PipeRL.Envs.MuJoCo;

namespace PipeRL.Envs.Tests.MuJoCo;

public sealed class AntEnvTests
{
    private static readonly double[] Standing = [0, 0, 0.75, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [SkippableFact]
    public void Observation_is_qpos_without_x_and_y_then_unclipped_velocities()
    {
        MuJoCoAvailability.Require();
        using var env = new AntEnv();
        var observation = new float[27];
        env.Reset(observation, seed: 0);
        double[] qpos = [0.1, 0.2, 0.3, 1, 0, 0, 0, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4];
        var qvel = Enumerable.Range(0, 14).Select(i => i * -3.0).ToArray();

        env.SetState(qpos, qvel);
        env.Observe(observation);

        Assert.Equal(qpos[2..].Concat(qvel).Select(v => (float)v).ToArray(), observation);
    }

    [SkippableTheory]
    [InlineData(0.75, true)]
    [InlineData(0.2, true)]
    [InlineData(1.0, true)]
    [InlineData(0.19, false)]
    [InlineData(1.01, false)]
    [InlineData(double.NaN, false)]
    public void Health_is_torso_height_in_0_2_to_1_inclusive(double z, bool healthy)
    {
        MuJoCoAvailability.Require();
        using var env = new AntEnv();
        env.Reset(new float[27], seed: 0);
        var qpos = (double[])Standing.Clone();
        qpos[2] = z;

        env.SetState(qpos, new double[14]);

        Assert.Equal(healthy, env.IsHealthy);
    }

    [SkippableFact]
    public void An_infinite_velocity_is_unhealthy()
    {
        MuJoCoAvailability.Require();
        using var env = new AntEnv();
        env.Reset(new float[27], seed: 0);
        var qvel = new double[14];
        qvel[9] = double.PositiveInfinity;

        env.SetState(Standing, qvel);

        Assert.False(env.IsHealthy);
    }

    [SkippableFact]
    public void Forward_reward_reads_the_torso_xpos_mujoco_left_after_the_step()
    {
        MuJoCoAvailability.Require();
        using var env = new AntEnv();
        var observation = new float[27];
        env.Reset(observation, seed: 0);
        var qvel = new double[14];
        qvel[0] = 1.0;
        env.SetState(Standing, qvel);
        float[] action = [1, -1, 1, -1, 0.5f, 0, 0, 2];

        var first = env.Step(action, observation);
        var x1 = env.Info["x_position"];
        var second = env.Step(action, observation);
        var x2 = env.Info["x_position"];

        Assert.Equal((x2 - x1) / 0.05, env.Info["x_velocity"], 12);
        Assert.NotEqual(env.Data.Qpos[0], x2);
        var controlCost = 0.5 * 8.25;
        Assert.Equal(((x2 - x1) / 0.05) + 1 - controlCost, second.Reward, 12);
        Assert.Equal((x1 / 0.05) + 1 - controlCost, first.Reward, 12);
        Assert.Equal(Math.Sqrt((x2 * x2) + (env.Info["y_position"] * env.Info["y_position"])), env.Info["distance_from_origin"], 12);
    }

    [SkippableFact]
    public void Contact_forces_extend_the_observation_to_111_and_cost_5e_4_per_squared_force()
    {
        MuJoCoAvailability.Require();
        using var plain = new AntEnv(seed: 1);
        using var env = new AntEnv(seed: 1, useContactForces: true);
        var observation = new float[111];
        var plainObservation = new float[27];
        env.Reset(observation);
        plain.Reset(plainObservation);
        var action = new float[8];

        StepResult result = default;
        for (var t = 0; t < 40; t++)
        {
            result = env.Step(action, observation);
            plain.Step(action, plainObservation);
        }

        Assert.Equal(111, env.ObservationSpace.FlatSize);
        Assert.Equal(plainObservation, observation[..27]);
        var forces = env.Data.CfrcExt.ToArray();
        Assert.Contains(forces, f => Math.Abs(f) > 1);
        Assert.Contains(forces, f => f != 0 && Math.Abs(f) < 1);
        Assert.Equal(forces.Select(f => (float)Math.Clamp(f, -1, 1)).ToArray(), observation[27..]);
        var contactCost = 5e-4 * forces.Sum(f => Math.Clamp(f, -1, 1) * Math.Clamp(f, -1, 1));
        Assert.True(contactCost > 0);
        Assert.Equal(plain.Info["reward_forward"] + 1 - contactCost, result.Reward, 12);
        Assert.Equal(-contactCost, env.Info["reward_ctrl"], 15);
    }

    [SkippableFact]
    public void Reset_noise_covers_all_15_qpos_entries_then_normal_qvel()
    {
        MuJoCoAvailability.Require();
        using var env = new AntEnv();
        env.Reset(new float[27], seed: 11);

        var random = new NumpyGenerator(11);
        var expectedQpos = Standing.Select(q => q + random.Uniform(-0.1, 0.1)).ToArray();
        var expectedQvel = Enumerable.Range(0, 14).Select(_ => 0.0 + (0.1 * random.StandardNormal())).ToArray();
        var qpos = env.Data.Qpos.ToArray();
        Assert.Equal(expectedQpos[..3], qpos[..3]);
        Assert.Equal(expectedQpos[7..], qpos[7..]);
        Assert.Equal(expectedQvel, env.Data.Qvel.ToArray());

        // mj_forward normalises the noisy quaternion in place, in Gymnasium's reset as here.
        var norm = Math.Sqrt(expectedQpos[3..7].Sum(q => q * q));
        Assert.NotEqual(1.0, norm, 6);
        for (var i = 3; i < 7; i++)
        {
            Assert.Equal(expectedQpos[i] / norm, qpos[i], 15);
        }
    }
}
