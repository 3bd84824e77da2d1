using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// Gymnasium's HalfCheetah-v4 (<c>mujoco/halfcheetah</c>): observation qpos[1:] (8) and qvel (9, not clipped);
/// reward x velocity − 0.1·Σa²; never terminates (only the 1000-step limit ends an episode); reset noise
/// U(±0.1) on qpos and 0.1·N(0, 1) on qvel.
/// </summary>
public sealed class HalfCheetahEnv : MuJoCoEnv
{
    /// <summary>The registered id.</summary>
    public const string EnvId = "mujoco/halfcheetah";

    private const int FrameSkip = 5;
    private const double ControlCostWeight = 0.1;
    private const double ResetNoiseScale = 0.1;

    private double _xBefore;

    /// <summary>Creates the task with its own model, seeded with <paramref name="seed"/>.</summary>
    public HalfCheetahEnv(uint seed = 0)
        : this(MuJoCoModels.Load(MuJoCoModels.HalfCheetah), ownsModel: true, seed)
    {
    }

    internal HalfCheetahEnv(MjModel model, bool ownsModel, uint seed)
        : base(EnvId, model, ownsModel, FrameSkip, observationSize: 17, seed)
    {
    }

    internal override bool Terminal => false;

    private protected override void AddResetNoise(Span<double> qpos, Span<double> qvel, NumpyGenerator random)
    {
        AddUniformNoise(qpos, ResetNoiseScale, random);
        AddNormalNoise(qvel, ResetNoiseScale, random);
    }

    private protected override void BeforeSimulation() => _xBefore = Data.Qpos[0];

    private protected override double AfterSimulation(double squaredAction)
    {
        var x = Data.Qpos[0];
        var xVelocity = (x - _xBefore) / Dt;
        var controlCost = ControlCostWeight * squaredAction;
        Info.Set("x_position", x);
        Info.Set("x_velocity", xVelocity);
        Info.Set("reward_run", xVelocity);
        Info.Set("reward_ctrl", -controlCost);
        return xVelocity - controlCost;
    }

    private protected override void WriteObservation(Span<float> observation)
    {
        Copy(Data.Qpos[1..], observation);
        Copy(Data.Qvel, observation[8..]);
    }
}
