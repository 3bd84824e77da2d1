using PipeRL.Envs;
using PipeRL.Envs.MuJoCo;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>
/// The bare physics of a MuJoCo task, the baseline of the env's overhead: random controls, <c>frame_skip</c> ×
/// <c>mj_step</c>, <c>mj_rnePostConstraint</c>, qpos and qvel copied out, and a reset (<c>mj_resetData</c> +
/// <c>mj_forward</c>) where the task's episode would end, with no reward, info or observation code.
/// </summary>
public sealed class MuJoCoPhysicsStepper : IEnvStepper
{
    private readonly MuJoCoEnv _env;
    private readonly int _frameSkip;
    private readonly double[] _state;
    private NumpyRandomState _random = new(0);
    private int _elapsed;

    /// <summary>Runs the physics of <paramref name="env"/> (its model and data), which the stepper disposes.</summary>
    public MuJoCoPhysicsStepper(MuJoCoEnv env)
    {
        _env = env;
        _frameSkip = (int)Math.Round(env.Dt / env.Model.Timestep);
        _state = new double[env.Model.Nq + env.Model.Nv];
    }

    /// <inheritdoc/>
    public int EnvsPerStep => 1;

    /// <inheritdoc/>
    public void Reset(int seed)
    {
        _random = new NumpyRandomState((uint)seed);
        ResetPhysics();
    }

    /// <inheritdoc/>
    public void Step()
    {
        var data = _env.Data;
        var ctrl = data.Ctrl;
        for (var i = 0; i < ctrl.Length; i++)
        {
            ctrl[i] = _random.Uniform(-1, 1);
        }

        for (var k = 0; k < _frameSkip; k++)
        {
            data.Step();
        }

        data.RnePostConstraint();
        data.Qpos.CopyTo(_state);
        data.Qvel.CopyTo(_state.AsSpan(data.Qpos.Length));
        if (++_elapsed >= MuJoCoEnv.MaxEpisodeSteps || _env.Terminal)
        {
            ResetPhysics();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _env.Dispose();

    private void ResetPhysics()
    {
        _env.Data.Reset();
        _env.Data.Forward();
        _elapsed = 0;
    }
}
