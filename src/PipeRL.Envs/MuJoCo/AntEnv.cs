using PipeRL.Envs.MuJoCo.Models;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// Gymnasium's Ant-v4 (<c>mujoco/ant</c>): observation qpos[2:] (13) and qvel (14), plus clip(cfrc_ext, ±1) (84)
/// with contact forces on; reward torso x velocity + 1 − 0.5·Σa² (− 5·10⁻⁴·Σ clipped force² with contact forces);
/// the episode ends unless the state is finite and 0.2 ≤ torso height ≤ 1; reset noise U(±0.1) on all of qpos
/// (the quaternion included) and 0.1·N(0, 1) on qvel. The velocity reads the torso's <c>xpos</c> as MuJoCo left it
/// after the step (kinematics from inside the last substep), as Gymnasium does.
/// </summary>
public sealed class AntEnv : MuJoCoEnv
{
    /// <summary>The registered id.</summary>
    public const string EnvId = "mujoco/ant";

    private const int FrameSkip = 5;
    private const double ControlCostWeight = 0.5;
    private const double ContactCostWeight = 5e-4;
    private const double HealthyReward = 1.0;
    private const double ResetNoiseScale = 0.1;
    private const double MinHeight = 0.2;
    private const double MaxHeight = 1.0;
    private const double ContactForceClip = 1.0;

    private readonly bool _useContactForces;
    private readonly int _torso;
    private readonly double _initialX;
    private readonly double _initialY;
    private double _xBefore;
    private double _yBefore;

    /// <summary>Creates the task with its own model; <paramref name="useContactForces"/> is v4's option of that name (default off).</summary>
    public AntEnv(uint seed = 0, bool useContactForces = false)
        : this(MuJoCoModels.Load(MuJoCoModels.Ant), ownsModel: true, seed, useContactForces)
    {
    }

    internal AntEnv(MjModel model, bool ownsModel, uint seed, bool useContactForces = false)
        : base(EnvId, model, ownsModel, FrameSkip, observationSize: useContactForces ? 27 + (model.NBody * 6) : 27, seed)
    {
        _useContactForces = useContactForces;
        _torso = model.BodyId("torso");
        (_initialX, _initialY) = (model.Qpos0[0], model.Qpos0[1]);
    }

    /// <summary>Gymnasium's <c>is_healthy</c> for the current state.</summary>
    public bool IsHealthy
    {
        get
        {
            var qpos = Data.Qpos;
            var z = qpos[2];
            return AllFinite(qpos) && AllFinite(Data.Qvel) && z >= MinHeight && z <= MaxHeight;
        }
    }

    internal override bool Terminal => !IsHealthy;

    private protected override void AddResetNoise(Span<double> qpos, Span<double> qvel, NumpyGenerator random)
    {
        AddUniformNoise(qpos, ResetNoiseScale, random);
        AddNormalNoise(qvel, ResetNoiseScale, random);
    }

    private protected override void BeforeSimulation() =>
        (_xBefore, _yBefore) = (Data.BodyPosition(_torso, 0), Data.BodyPosition(_torso, 1));

    private protected override double AfterSimulation(double squaredAction)
    {
        var (x, y) = (Data.BodyPosition(_torso, 0), Data.BodyPosition(_torso, 1));
        var xVelocity = (x - _xBefore) / Dt;
        var yVelocity = (y - _yBefore) / Dt;
        var controlCost = ControlCostWeight * squaredAction;
        var reward = xVelocity + HealthyReward - controlCost;
        Info.Set("reward_forward", xVelocity);
        Info.Set("reward_ctrl", -controlCost);
        Info.Set("reward_survive", HealthyReward);
        Info.Set("x_position", x);
        Info.Set("y_position", y);
        Info.Set("distance_from_origin", Math.Sqrt(((x - _initialX) * (x - _initialX)) + ((y - _initialY) * (y - _initialY))));
        Info.Set("x_velocity", xVelocity);
        Info.Set("y_velocity", yVelocity);
        Info.Set("forward_reward", xVelocity);
        if (_useContactForces)
        {
            var contactCost = ContactCostWeight * ClippedSquaredForces();
            reward -= contactCost;

            // Ant-v4 overwrites reward_ctrl with the contact cost when contact forces are on; kept for parity.
            Info.Set("reward_ctrl", -contactCost);
        }

        return reward;
    }

    private protected override void WriteObservation(Span<float> observation)
    {
        Copy(Data.Qpos[2..], observation);
        Copy(Data.Qvel, observation[13..]);
        if (_useContactForces)
        {
            CopyClipped(Data.CfrcExt, observation[27..], ContactForceClip);
        }
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private double ClippedSquaredForces()
    {
        var sum = 0.0;
        foreach (var f in Data.CfrcExt)
        {
            var c = Math.Clamp(f, -ContactForceClip, ContactForceClip);
            sum += c * c;
        }

        return sum;
    }
}
