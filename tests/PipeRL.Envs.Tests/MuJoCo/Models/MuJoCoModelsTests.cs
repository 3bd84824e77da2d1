using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;
using PipeRL.Tests;
using L = PipeRL.Envs.MuJoCo.Native.Mj222Layout.Model;

namespace PipeRL.Envs.Tests.MuJoCo.Models;

public sealed class MuJoCoModelsTests
{
    private const int TrajectorySteps = 1000;

    public static TheoryData<string> Files => [MuJoCoModels.Hopper, MuJoCoModels.Walker2d, MuJoCoModels.HalfCheetah, MuJoCoModels.Ant];

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Compiles_to_the_same_model_as_gymnasiums_reference(string file)
    {
        MuJoCoAvailability.Require();
        using var ours = MuJoCoModels.Load(file);
        using var reference = MjModel.LoadXmlFile(SharedData.Require($"mujoco/reference-models/{file}"));

        Assert.Equal(Sizes(reference), Sizes(ours));
        Assert.Equal(reference.Timestep, ours.Timestep);
        Assert.Equal(reference.Integrator, ours.Integrator);
        var (nq, nv, nu, nbody, njnt, ngeom) = (ours.Nq, ours.Nv, ours.Nu, ours.NBody, ours.NJnt, ours.NGeom);
        (string Name, int Offset, int Length)[] doubles =
        [
            ("opt.gravity", -1, 3), ("qpos0", L.Qpos0, nq),
            ("body_pos", L.BodyPos, nbody * 3), ("body_quat", L.BodyQuat, nbody * 4), ("body_ipos", L.BodyIpos, nbody * 3),
            ("body_iquat", L.BodyIquat, nbody * 4), ("body_mass", L.BodyMass, nbody), ("body_inertia", L.BodyInertia, nbody * 3),
            ("jnt_solref", L.JntSolref, njnt * 2), ("jnt_solimp", L.JntSolimp, njnt * 5), ("jnt_pos", L.JntPos, njnt * 3),
            ("jnt_axis", L.JntAxis, njnt * 3), ("jnt_stiffness", L.JntStiffness, njnt), ("jnt_range", L.JntRange, njnt * 2),
            ("jnt_margin", L.JntMargin, njnt), ("dof_frictionloss", L.DofFrictionLoss, nv), ("dof_armature", L.DofArmature, nv),
            ("dof_damping", L.DofDamping, nv), ("geom_solref", L.GeomSolref, ngeom * 2), ("geom_solimp", L.GeomSolimp, ngeom * 5),
            ("geom_size", L.GeomSize, ngeom * 3), ("geom_pos", L.GeomPos, ngeom * 3), ("geom_quat", L.GeomQuat, ngeom * 4),
            ("geom_friction", L.GeomFriction, ngeom * 3), ("geom_margin", L.GeomMargin, ngeom),
            ("actuator_gainprm", L.ActuatorGainPrm, nu * 10), ("actuator_biasprm", L.ActuatorBiasPrm, nu * 10),
            ("actuator_ctrlrange", L.ActuatorCtrlRange, nu * 2), ("actuator_gear", L.ActuatorGear, nu * 6),
        ];
        foreach (var (name, offset, length) in doubles)
        {
            var expected = offset < 0 ? Gravity(reference) : reference.Doubles(offset, length).ToArray();
            var actual = offset < 0 ? Gravity(ours) : ours.Doubles(offset, length).ToArray();
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{file}: {name} differs: reference [{string.Join(", ", expected)}], ours [{string.Join(", ", actual)}]");
        }

        (string Name, int Offset, int Length)[] ints =
        [
            ("body_parentid", L.BodyParentId, nbody), ("jnt_type", L.JntType, njnt), ("jnt_qposadr", L.JntQposAdr, njnt),
            ("jnt_bodyid", L.JntBodyId, njnt), ("geom_type", L.GeomType, ngeom), ("geom_contype", L.GeomContype, ngeom),
            ("geom_conaffinity", L.GeomConaffinity, ngeom), ("geom_condim", L.GeomCondim, ngeom), ("geom_bodyid", L.GeomBodyId, ngeom),
            ("actuator_trntype", L.ActuatorTrnType, nu), ("actuator_trnid", L.ActuatorTrnId, nu * 2),
        ];
        foreach (var (name, offset, length) in ints)
        {
            Assert.True(reference.Ints(offset, length).SequenceEqual(ours.Ints(offset, length)), $"{file}: {name} differs");
        }

        Assert.True(reference.Bytes(L.JntLimited, njnt).SequenceEqual(ours.Bytes(L.JntLimited, njnt)), $"{file}: jnt_limited differs");
        Assert.True(reference.Bytes(L.ActuatorCtrlLimited, nu).SequenceEqual(ours.Bytes(L.ActuatorCtrlLimited, nu)), $"{file}: actuator_ctrllimited differs");
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Follows_the_reference_trajectory_bit_for_bit(string file)
    {
        MuJoCoAvailability.Require();
        using var ours = MuJoCoModels.Load(file);
        using var reference = MjModel.LoadXmlFile(SharedData.Require($"mujoco/reference-models/{file}"));
        using var a = new MjData(ours);
        using var b = new MjData(reference);
        var random = new System.Random(20260501);

        for (var step = 0; step < TrajectorySteps; step++)
        {
            for (var i = 0; i < ours.Nu; i++)
            {
                // Some controls beyond the range, so MuJoCo's clamping is compared too.
                a.Ctrl[i] = b.Ctrl[i] = (random.NextDouble() * 2.4) - 1.2;
            }

            a.Step();
            b.Step();
            Assert.True(b.Qpos.SequenceEqual(a.Qpos) && b.Qvel.SequenceEqual(a.Qvel), $"{file}: state differs after step {step + 1}");
        }

        Assert.Equal(0, a.InstabilityCount);
        Assert.True(Math.Abs(a.Qpos[0]) > 1e-3, $"{file}: the body should have moved, x = {a.Qpos[0]}");
    }

    [SkippableTheory]
    [InlineData(MuJoCoModels.Hopper, 15.82)]
    [InlineData(MuJoCoModels.Walker2d, 23.68)]
    [InlineData(MuJoCoModels.HalfCheetah, 14.0)]
    [InlineData(MuJoCoModels.Ant, 0.911)]
    public void Total_mass_is_the_v4_models(string file, double mass)
    {
        MuJoCoAvailability.Require();
        using var model = MuJoCoModels.Load(file);

        var total = 0.0;
        foreach (var m in model.Doubles(L.BodyMass, model.NBody))
        {
            total += m;
        }

        Assert.Equal(mass, total, 2);
    }

    [Fact]
    public void Unknown_models_are_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => MuJoCoModels.Text("swimmer.xml"));

        Assert.Contains("swimmer.xml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("hopper.xml", ex.Message, StringComparison.Ordinal);
    }

    private static (int, int, int, int, int, int, int) Sizes(MjModel m) => (m.Nq, m.Nv, m.Nu, m.Na, m.NBody, m.NJnt, m.NGeom);

    private static unsafe double[] Gravity(MjModel m) => new ReadOnlySpan<double>((byte*)m.Pointer + L.Gravity, 3).ToArray();
}
