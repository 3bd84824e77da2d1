using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// Gymnasium's Hopper-v4 (<c>mujoco/hopper</c>): observation qpos[1:] (5) and clip(qvel, ±10) (6); reward
/// x velocity + 1 − 10⁻³·Σa²; the episode ends when the hopper is unhealthy (height ≤ 0.7, |angle| ≥ 0.2, or any
/// of qpos[2:], qvel outside (−100, 100)); reset noise U(±5·10⁻³) on qpos and qvel.
/// </summary>
public sealed class HopperEnv : PlanarWalkerEnv
{
    /// <summary>The registered id.</summary>
    public const string EnvId = "mujoco/hopper";

    private const double MinHeight = 0.7;
    private const double AngleLimit = 0.2;
    private const double StateLimit = 100.0;

    /// <summary>Creates the task with its own model, seeded with <paramref name="seed"/>.</summary>
    public HopperEnv(uint seed = 0)
        : this(MuJoCoModels.Load(MuJoCoModels.Hopper), ownsModel: true, seed)
    {
    }

    internal HopperEnv(MjModel model, bool ownsModel, uint seed)
        : base(EnvId, model, ownsModel, seed)
    {
    }

    /// <inheritdoc/>
    public override bool IsHealthy
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
