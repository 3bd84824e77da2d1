using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.Tests.MuJoCo.Native;

public sealed class MjModelTests
{
    [SkippableTheory]
    [InlineData(MuJoCoModels.Hopper, 6, 6, 3, 0.002, 1)]
    [InlineData(MuJoCoModels.Walker2d, 9, 9, 6, 0.002, 1)]
    [InlineData(MuJoCoModels.HalfCheetah, 9, 9, 6, 0.01, 0)]
    [InlineData(MuJoCoModels.Ant, 15, 14, 8, 0.01, 1)]
    public void Embedded_models_compile_to_the_v4_dimensions(string file, int nq, int nv, int nu, double timestep, int integrator)
    {
        MuJoCoAvailability.Require();

        using var model = MuJoCoModels.Load(file);

        Assert.Equal((nq, nv, nu), (model.Nq, model.Nv, model.Nu));
        Assert.Equal(timestep, model.Timestep);
        Assert.Equal(integrator, model.Integrator);
        var range = model.ActuatorCtrlRange;
        for (var i = 0; i < nu; i++)
        {
            Assert.Equal((-1.0, 1.0), (range[2 * i], range[(2 * i) + 1]));
        }
    }

    [SkippableFact]
    public void Hopper_starts_at_height_1_25_and_ant_at_0_75()
    {
        MuJoCoAvailability.Require();
        using var hopper = MuJoCoModels.Load(MuJoCoModels.Hopper);
        using var ant = MuJoCoModels.Load(MuJoCoModels.Ant);

        Assert.Equal([0, 1.25, 0, 0, 0, 0], hopper.Qpos0.ToArray());
        Assert.Equal([0, 0, 0.75, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], ant.Qpos0.ToArray());
        Assert.Equal(1, ant.BodyId("torso"));
    }

    [SkippableFact]
    public void Compile_errors_carry_mujocos_message()
    {
        MuJoCoAvailability.Require();

        var ex = Assert.Throws<InvalidDataException>(() =>
            MjModel.LoadXmlText("bad.xml", "<mujoco><worldbody><geom type='nosuchtype'/></worldbody></mujoco>"u8));

        Assert.Contains("bad.xml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nosuchtype", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_missing_file_or_body_is_named()
    {
        MuJoCoAvailability.Require();
        using var hopper = MuJoCoModels.Load(MuJoCoModels.Hopper);

        Assert.Throws<FileNotFoundException>(() => MjModel.LoadXmlFile("no-such-model.xml"));
        var ex = Assert.Throws<ArgumentException>(() => hopper.BodyId("wing"));
        Assert.Contains("wing", ex.Message, StringComparison.Ordinal);
    }
}
