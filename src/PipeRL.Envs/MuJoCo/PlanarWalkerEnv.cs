using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// What Gymnasium's Hopper-v4 and Walker2d-v4 share: frame skip 4, reward x velocity + 1 − 10⁻³·Σa², reset noise
/// U(±5·10⁻³) on qpos and qvel, observation qpos[1:] then clip(qvel, ±10); each task defines only its health.
/// </summary>
public abstract class PlanarWalkerEnv : MuJoCoEnv
{
    private const int FrameSkip = 4;
    private const double ControlCostWeight = 1e-3;
    private const double HealthyReward = 1.0;
    private const double ResetNoiseScale = 5e-3;
    private const double VelocityClip = 10.0;

    private double _xBefore;

    private protected PlanarWalkerEnv(string id, MjModel model, bool ownsModel, uint seed)
        : base(id, model, ownsModel, FrameSkip, observationSize: model.Nq - 1 + model.Nv, seed)
    {
    }

    /// <summary>Gymnasium's <c>is_healthy</c> for the current state.</summary>
    public abstract bool IsHealthy { get; }

    internal override bool Terminal => !IsHealthy;

    private protected override void AddResetNoise(Span<double> qpos, Span<double> qvel, NumpyGenerator random)
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
        var positions = Data.Qpos[1..];
        Copy(positions, observation);
        CopyClipped(Data.Qvel, observation[positions.Length..], VelocityClip);
    }
}
