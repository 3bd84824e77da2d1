using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.Tests.MuJoCo.Native;

public sealed class MjDataTests
{
    [SkippableFact]
    public void A_fresh_state_is_the_reference_configuration()
    {
        MuJoCoAvailability.Require();
        using var model = MuJoCoModels.Load(MuJoCoModels.Walker2d);
        using var data = new MjData(model);

        Assert.Equal(model.Qpos0.ToArray(), data.Qpos.ToArray());
        Assert.All(data.Qvel.ToArray(), v => Assert.Equal(0.0, v));
        Assert.Equal(0.0, data.Time);
    }

    [SkippableFact]
    public void Stepping_advances_time_and_gravity_pulls_the_hopper_down()
    {
        MuJoCoAvailability.Require();
        using var model = MuJoCoModels.Load(MuJoCoModels.Hopper);
        using var data = new MjData(model);

        for (var i = 0; i < 10; i++)
        {
            data.Step();
        }

        Assert.Equal(0.02, data.Time, 12);
        Assert.True(data.Qpos[1] < 1.25, $"height {data.Qpos[1]} should fall below 1.25");
        Assert.True(data.Qvel[1] < 0);
    }

    [SkippableFact]
    public void An_unstable_state_is_reset_by_mujoco_and_counted_until_the_next_reset()
    {
        MuJoCoAvailability.Require();
        using var model = MuJoCoModels.Load(MuJoCoModels.Hopper);
        using var data = new MjData(model);
        var warnings = new List<string>();
        void Listen(string text) => warnings.Add(text);
        MjMessages.WarningRaised += Listen;
        try
        {
            data.Step();
            Assert.Equal(0, data.InstabilityCount);
            data.Qvel[0] = 1e30;
            data.Step();
        }
        finally
        {
            MjMessages.WarningRaised -= Listen;
        }

        Assert.Equal(1, data.InstabilityCount);
        Assert.Contains(warnings, w => w.Contains("QVEL", StringComparison.Ordinal));
        Assert.True(Math.Abs(data.Qvel[0]) < 1, "MuJoCo should have reset the state");
        data.Reset();
        Assert.Equal(0, data.InstabilityCount);
    }

    [SkippableFact]
    public void Contact_forces_need_rne_post_constraint()
    {
        MuJoCoAvailability.Require();
        using var model = MuJoCoModels.Load(MuJoCoModels.Ant);
        using var data = new MjData(model);
        for (var i = 0; i < 100; i++)
        {
            data.Step();
        }

        Assert.True(data.ContactCount > 0, "the ant should stand on the floor after 1 s");
        Assert.Equal(0.0, SumAbs(data.CfrcExt));
        data.RnePostConstraint();
        Assert.True(SumAbs(data.CfrcExt) > 1.0);
    }

    [SkippableFact]
    public void Xpos_lags_qpos_after_a_step()
    {
        MuJoCoAvailability.Require();
        using var model = MuJoCoModels.Load(MuJoCoModels.Ant);
        using var data = new MjData(model);
        var torso = model.BodyId("torso");
        data.Forward();
        data.Qvel[0] = 1.0;
        data.Step();

        // Kinematics belong to a state inside the step (before the last integration), not to the new qpos.
        Assert.True(data.Qpos[0] > 0.005);
        Assert.NotEqual(data.Qpos[0], data.BodyPosition(torso, 0));
        data.Forward();
        Assert.Equal(data.Qpos[0], data.BodyPosition(torso, 0));
    }

    private static double SumAbs(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Abs(v);
        }

        return sum;
    }
}
