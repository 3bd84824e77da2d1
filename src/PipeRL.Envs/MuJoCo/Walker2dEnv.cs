using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// Gymnasium's Walker2d-v4 (<c>mujoco/walker2d</c>): observation qpos[1:] (8) and clip(qvel, ±10) (9); reward
/// x velocity + 1 − 10⁻³·Σa²; the episode ends unless 0.8 &lt; height &lt; 2 and −1 &lt; angle &lt; 1; reset noise
/// U(±5·10⁻³) on qpos and qvel.
/// </summary>
public sealed class Walker2dEnv : PlanarWalkerEnv
{
    /// <summary>The registered id.</summary>
    public const string EnvId = "mujoco/walker2d";

    private const double MinHeight = 0.8;
    private const double MaxHeight = 2.0;
    private const double AngleLimit = 1.0;

    /// <summary>Creates the task with its own model, seeded with <paramref name="seed"/>.</summary>
    public Walker2dEnv(uint seed = 0)
        : this(MuJoCoModels.Load(MuJoCoModels.Walker2d), ownsModel: true, seed)
    {
    }

    internal Walker2dEnv(MjModel model, bool ownsModel, uint seed)
        : base(EnvId, model, ownsModel, seed)
    {
    }

    /// <inheritdoc/>
    public override bool IsHealthy
    {
        get
        {
            var (z, angle) = (Data.Qpos[1], Data.Qpos[2]);
            return z > MinHeight && z < MaxHeight && angle > -AngleLimit && angle < AngleLimit;
        }
    }
}
