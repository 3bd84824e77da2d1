using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// Gymnasium's Walker2d-v4 (<c>mujoco/walker2d</c>): observation qpos[1:] (8) and clip(qvel, ±10) (9); reward
/// x velocity + 1 − 10⁻³·Σa²; the episode ends unless 0.8 &lt; height &lt; 2 and −1 &lt; angle &lt; 1; reset noise
/// U(±5·10⁻³) on qpos and qvel.
/// </summary>
public sealed class Walker2dEnv : MuJoCoEnv
{
    /// <summary>The registered id.</summary>
    public const string EnvId = "mujoco/walker2d";

    private const int FrameSkip = 4;
    private const double ControlCostWeight = 1e-3;
    private const double HealthyReward = 1.0;
    private const double ResetNoiseScale = 5e-3;
    private const double VelocityClip = 10.0;
    private const double MinHeight = 0.8;
    private const double MaxHeight = 2.0;
    private const double AngleLimit = 1.0;

    private double _xBefore;

    /// <summary>Creates the task with its own model, seeded with <paramref name="seed"/>.</summary>
    public Walker2dEnv(uint seed = 0)
        : this(MuJoCoModels.Load(MuJoCoModels.Walker2d), ownsModel: true, seed)
    {
    }

    internal Walker2dEnv(MjModel model, bool ownsModel, uint seed)
        : base(EnvId, model, ownsModel, FrameSkip, observationSize: 17, seed)
    {
    }

    /// <summary>Gymnasium's <c>is_healthy</c> for the current state.</summary>
    public bool IsHealthy
    {
        get
        {
            var (z, angle) = (Data.Qpos[1], Data.Qpos[2]);
            return z > MinHeight && z < MaxHeight && angle > -AngleLimit && angle < AngleLimit;
        }
    }

    internal override bool Terminal => !IsHealthy;

    private protected override void AddResetNoise(Span<double> qpos, Span<double> qvel, NumpyRandomState random)
    {
        AddUniformNoise(qpos, ResetNoiseScale, random);
        AddUniformNoise(qvel, ResetNoiseScale, random);
    }

    private protected override void BeforeSimulation() => _xBefore = Data.Qpos[0];

    private protected override double AfterSimulation(double squaredAction)
    {
        var x = Data.Qpos[0];
        var xVelocity = (x - _xBefore) / Dt;
        var controlCost = ControlCostWeight * squaredAction;
        var reward = xVelocity + HealthyReward - controlCost;
        Info.Set("x_position", x);
        Info.Set("x_velocity", xVelocity);
        Info.Set("reward_forward", xVelocity);
        Info.Set("reward_ctrl", -controlCost);
        Info.Set("reward_survive", HealthyReward);
        return reward;
    }

    private protected override void WriteObservation(Span<float> observation)
    {
        Copy(Data.Qpos[1..], observation);
        CopyClipped(Data.Qvel, observation[8..], VelocityClip);
    }
}
