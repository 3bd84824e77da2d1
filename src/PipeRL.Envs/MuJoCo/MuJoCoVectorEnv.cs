using PipeRL.Envs.MuJoCo.Native;
using PipeRL.Envs.Threading;

namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// Many copies of one MuJoCo task: one compiled model shared read-only, one <c>mjData</c> per sub-env, stepped on
/// the calling thread plus optional persistent workers (each takes a contiguous block of sub-envs). Results do not
/// depend on the thread count. Create it with <see cref="MuJoCoEnvs.CreateVector"/>.
/// </summary>
public sealed class MuJoCoVectorEnv : IVectorEnv, IStatefulEnv
{
    private const int StateVersion = 1;

    private readonly MjModel _model;
    private readonly MuJoCoEnv[] _envs;
    private readonly WorkerGroup _workers;
    private readonly StepWork _work;
    private readonly int _actionSize;
    private readonly int _observationSize;

    internal MuJoCoVectorEnv(MjModel model, Func<MjModel, bool, uint, MuJoCoEnv> create, int numEnvs, int threads, AutoresetMode autoresetMode, uint seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numEnvs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _model = model;
        _envs = new MuJoCoEnv[numEnvs];
        for (var i = 0; i < numEnvs; i++)
        {
            _envs[i] = create(model, false, unchecked(seed + (uint)i));
        }

        var first = _envs[0];
        _actionSize = first.ActionSpace.FlatSize;
        _observationSize = first.ObservationSpace.FlatSize;
        AutoresetMode = autoresetMode;
        Threads = Math.Min(threads, numEnvs);
        _workers = new WorkerGroup(Threads, first.Id);
        _work = new StepWork(this, numEnvs);
    }

    /// <inheritdoc/>
    public int NumEnvs => _envs.Length;

    /// <summary>Threads that step the sub-envs, the caller included.</summary>
    public int Threads { get; }

    /// <inheritdoc/>
    public BoxSpace SingleObservationSpace => _envs[0].ObservationSpace;

    /// <inheritdoc/>
    public Space SingleActionSpace => _envs[0].ActionSpace;

    /// <inheritdoc/>
    public AutoresetMode AutoresetMode { get; }

    /// <summary>The info of sub-env <paramref name="env"/>'s latest step or reset (Gymnasium's keys, updated in place).</summary>
    public EnvInfo Info(int env) => _envs[env].Info;

    /// <inheritdoc/>
    public void Reset(Span<float> observations, int? seed = null)
    {
        CheckLength(observations.Length, _observationSize, nameof(observations));
        for (var i = 0; i < _envs.Length; i++)
        {
            _envs[i].Reset(observations.Slice(i * _observationSize, _observationSize), seed + i);
            _work.ResetPending[i] = false;
        }

        _work.Started = true;
    }

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<float> actions, Span<float> observations, Span<double> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        if (!_work.Started)
        {
            throw new InvalidOperationException($"{_envs[0].Id} vector env: Step called before Reset; call Reset first.");
        }

        CheckLength(actions.Length, _actionSize, nameof(actions));
        CheckLength(observations.Length, _observationSize, nameof(observations));
        CheckLength(rewards.Length, 1, nameof(rewards));
        CheckLength(terminated.Length, 1, nameof(terminated));
        CheckLength(truncated.Length, 1, nameof(truncated));
        actions.CopyTo(_work.Actions);
        _workers.Run(_work, _envs.Length);
        _work.Observations.CopyTo(observations);
        _work.Rewards.CopyTo(rewards);
        _work.Terminated.CopyTo(terminated);
        _work.Truncated.CopyTo(truncated);
    }

    /// <inheritdoc/>
    public ReadOnlySpan<float> FinalObservation(int env)
    {
        if (AutoresetMode != AutoresetMode.SameStep)
        {
            throw new InvalidOperationException("FinalObservation is kept only with AutoresetMode.SameStep; with NextStep the last observation is the one the ending step returned.");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)env, (uint)_envs.Length, nameof(env));
        return _work.FinalObservations.AsSpan(env * _observationSize, _observationSize);
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader("mujoco-vector", StateVersion);
        writer.WriteCount(NumEnvs, "sub-envs");
        foreach (var env in _envs)
        {
            env.WriteState(writer);
        }

        writer.Write(_work.Started);
        writer.WriteArray(_work.ResetPending);
        writer.WriteArray(_work.FinalObservations);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader("mujoco-vector", StateVersion);
        reader.ReadCount(NumEnvs, "sub-envs");
        foreach (var env in _envs)
        {
            env.ReadState(reader);
        }

        _work.Started = reader.ReadBoolean();
        reader.ReadArray(_work.ResetPending);
        reader.ReadArray(_work.FinalObservations);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _workers.Dispose();
        foreach (var env in _envs)
        {
            env.Dispose();
        }

        _model.Dispose();
    }

    private void CheckLength(int length, int perEnv, string name)
    {
        if (length != perEnv * _envs.Length)
        {
            throw new ArgumentException($"{_envs[0].Id} vector env of {_envs.Length} sub-envs needs {perEnv * _envs.Length} values in '{name}' ({perEnv} per sub-env), got {length}.", name);
        }
    }

    // The per-step work over a block of sub-envs; its buffers let worker threads run without the caller's spans.
    private sealed class StepWork(MuJoCoVectorEnv owner, int numEnvs) : IRangeWork
    {
        public float[] Actions { get; } = new float[numEnvs * owner._actionSize];

        public float[] Observations { get; } = new float[numEnvs * owner._observationSize];

        public float[] FinalObservations { get; } = new float[numEnvs * owner._observationSize];

        public double[] Rewards { get; } = new double[numEnvs];

        public bool[] Terminated { get; } = new bool[numEnvs];

        public bool[] Truncated { get; } = new bool[numEnvs];

        public bool[] ResetPending { get; } = new bool[numEnvs];

        public bool Started { get; set; }

        public void Execute(int start, int end)
        {
            var (actionSize, observationSize) = (owner._actionSize, owner._observationSize);
            var sameStep = owner.AutoresetMode == AutoresetMode.SameStep;
            for (var i = start; i < end; i++)
            {
                var env = owner._envs[i];
                var observation = Observations.AsSpan(i * observationSize, observationSize);
                if (ResetPending[i])
                {
                    // NextStep: the step after an episode ended resets that sub-env and ignores its action.
                    env.Reset(observation);
                    ResetPending[i] = false;
                    (Rewards[i], Terminated[i], Truncated[i]) = (0, false, false);
                    continue;
                }

                var result = env.Step(Actions.AsSpan(i * actionSize, actionSize), observation);
                (Rewards[i], Terminated[i], Truncated[i]) = (result.Reward, result.Terminated, result.Truncated);
                if (!result.Done)
                {
                    continue;
                }

                if (sameStep)
                {
                    observation.CopyTo(FinalObservations.AsSpan(i * observationSize, observationSize));
                    env.Reset(observation);
                }
                else
                {
                    ResetPending[i] = true;
                }
            }
        }
    }
}
