using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// Gymnasium's Hopper-v4 (<c>mujoco/hopper</c>): observation qpos[1:] (5) and clip(qvel, ±10) (6); reward
/// x velocity + 1 − 10⁻³·Σa²; the episode ends when the hopper is unhealthy (height ≤ 0.7, |angle| ≥ 0.2, or any
/// of qpos[2:], qvel outside (−100, 100)); reset noise U(±5·10⁻³) on qpos and qvel.
/// </summary>
public sealed class HopperEnv : MuJoCoEnv
{
    /// <summary>The registered id.</summary>
    public const string EnvId = "mujoco/hopper";

    private const int FrameSkip = 4;
    private const double ControlCostWeight = 1e-3;
    private const double HealthyReward = 1.0;
    private const double ResetNoiseScale = 5e-3;
    private const double VelocityClip = 10.0;
    private const double MinHeight = 0.7;
    private const double AngleLimit = 0.2;
    private const double StateLimit = 100.0;

    private double _xBefore;

    /// <summary>Creates the task with its own model, seeded with <paramref name="seed"/>.</summary>
    public HopperEnv(uint seed = 0)
        : this(MuJoCoModels.Load(MuJoCoModels.Hopper), ownsModel: true, seed)
    {
    }

    internal HopperEnv(MjModel model, bool ownsModel, uint seed)
        : base(EnvId, model, ownsModel, FrameSkip, observationSize: 11, seed)
    {
    }

    /// <summary>Gymnasium's <c>is_healthy</c> for the current state.</summary>
    public bool IsHealthy
    {
        get
        {
            var qpos = Data.Qpos;
            var qvel = Data.Qvel;
            var (z, angle) = (qpos[1], qpos[2]);
            return z > MinHeight && angle > -AngleLimit && angle < AngleLimit
                && AllInside(qpos[2..], StateLimit) && AllInside(qvel, StateLimit);
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
        CopyClipped(Data.Qvel, observation[5..], VelocityClip);
    }

    private static bool AllInside(ReadOnlySpan<double> values, double limit)
    {
        foreach (var v in values)
        {
            if (!(v > -limit && v < limit))
            {
                return false;
            }
        }

        return true;
    }
}
