using PipeRL.Envs.Threading;

namespace PipeRL.Envs.MinAtar;

/// <summary>
/// Many copies of one MinAtar game stepped together into one batched observation buffer (one row of 10·10·C floats
/// per sub-env). Each sub-env is a reference <see cref="MinAtarEnvironment"/> with its own <c>RandomState</c>, so
/// sub-env i behaves exactly as a single env seeded <c>seed + i</c>. The sub-envs can be split between the calling
/// thread and persistent worker threads.
/// </summary>
public sealed unsafe class MinAtarVectorEnv : IVectorEnv, IStatefulEnv, IRangeWork
{
    private const int StateVersion = 1;

    private readonly MinAtarEnvironment[] _envs;
    private readonly int[] _actionMap;
    private readonly DiscreteSpace _actionSpace;
    private readonly int _observationSize;
    private readonly bool[] _needsReset;
    private readonly float[] _finalObservations;
    private readonly WorkerGroup _workers;

    private float* _actions;
    private float* _observations;
    private double* _rewards;
    private bool* _terminated;
    private bool* _truncated;

    /// <summary>
    /// Creates <paramref name="numEnvs"/> copies of env <paramref name="id"/> (see <see cref="MinAtarGames.Ids"/>);
    /// sub-env i starts from <c>RandomState(seed + i)</c>, and <paramref name="threads"/> threads (the caller
    /// included) share each step.
    /// </summary>
    public MinAtarVectorEnv(
        string id,
        int numEnvs,
        AutoresetMode autoresetMode = AutoresetMode.SameStep,
        double stickyActionProbability = MinAtarEnvironment.DefaultStickyActionProbability,
        bool difficultyRamping = true,
        uint seed = 0,
        int threads = 1)
    {
        if (numEnvs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "A vector env needs at least one sub-env.");
        }

        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "A vector env needs at least one thread (the caller's).");
        }

        var first = MinAtarGames.Create(id, stickyActionProbability, difficultyRamping, seed);
        var game = first.Environment.Game;
        _envs = new MinAtarEnvironment[numEnvs];
        _envs[0] = first.Environment;
        for (var i = 1; i < numEnvs; i++)
        {
            _envs[i] = new MinAtarEnvironment(
                MinAtarGames.CreateGame(game.Name, difficultyRamping),
                new NumpyRandomState(unchecked(seed + (uint)i)),
                stickyActionProbability);
        }

        _actionMap = new int[first.ActionSpace is DiscreteSpace d ? d.N : MinAtarEnvironment.FullActionCount];
        for (var a = 0; a < _actionMap.Length; a++)
        {
            _actionMap[a] = first.FullAction(a);
        }

        Id = first.Id;
        _actionSpace = new DiscreteSpace(_actionMap.Length);
        SingleObservationSpace = first.ObservationSpace;
        _observationSize = SingleObservationSpace.FlatSize;
        AutoresetMode = autoresetMode;
        _needsReset = new bool[numEnvs];
        _finalObservations = new float[numEnvs * _observationSize];
        _workers = new WorkerGroup(threads, Id);
    }

    /// <summary>The env id of every sub-env, for example <c>minatar/breakout</c>.</summary>
    public string Id { get; }

    /// <inheritdoc/>
    public int NumEnvs => _envs.Length;

    /// <inheritdoc/>
    public BoxSpace SingleObservationSpace { get; }

    /// <inheritdoc/>
    public Space SingleActionSpace => _actionSpace;

    /// <inheritdoc/>
    public AutoresetMode AutoresetMode { get; }

    /// <summary>Threads that share a step, the caller included.</summary>
    public int Threads => _workers.Threads;

    /// <summary>The reference-level environment of sub-env <paramref name="env"/> (its game, sticky state and stream).</summary>
    public MinAtarEnvironment Environment(int env) => _envs[env];

    /// <inheritdoc/>
    public void Reset(Span<float> observations, int? seed = null)
    {
        CheckLength(observations.Length, NumEnvs * _observationSize, nameof(observations));
        if (seed is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "MinAtar seeds are integers in 0..2^32-1.");
        }

        for (var i = 0; i < NumEnvs; i++)
        {
            if (seed is { } s)
            {
                _envs[i].Seed(unchecked((uint)s + (uint)i));
            }

            _envs[i].Reset();
            _envs[i].WriteObservation(observations.Slice(i * _observationSize, _observationSize));
            _needsReset[i] = false;
        }
    }

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<float> actions, Span<float> observations, Span<double> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        CheckLength(actions.Length, NumEnvs, nameof(actions));
        CheckLength(observations.Length, NumEnvs * _observationSize, nameof(observations));
        CheckLength(rewards.Length, NumEnvs, nameof(rewards));
        CheckLength(terminated.Length, NumEnvs, nameof(terminated));
        CheckLength(truncated.Length, NumEnvs, nameof(truncated));
        for (var i = 0; i < actions.Length; i++)
        {
            var value = actions[i];
            if ((uint)(int)value >= (uint)_actionMap.Length || (int)value != value)
            {
                throw new ArgumentOutOfRangeException(nameof(actions), value, $"{Id}: the action of sub-env {i} must be an integer in 0..{_actionMap.Length - 1}.");
            }
        }

        fixed (float* a = actions, o = observations)
        fixed (double* r = rewards)
        fixed (bool* t = terminated, tr = truncated)
        {
            _actions = a;
            _observations = o;
            _rewards = r;
            _terminated = t;
            _truncated = tr;
            try
            {
                _workers.Run(this, NumEnvs);
            }
            finally
            {
                _actions = null;
                _observations = null;
                _rewards = null;
                _terminated = null;
                _truncated = null;
            }
        }
    }

    /// <inheritdoc/>
    public ReadOnlySpan<float> FinalObservation(int env)
    {
        if (AutoresetMode != AutoresetMode.SameStep)
        {
            throw new InvalidOperationException($"{Id}: final observations are kept only in SameStep autoreset mode; with NextStep the step that ends an episode returns it.");
        }

        return _finalObservations.AsSpan(env * _observationSize, _observationSize);
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader(Id, StateVersion);
        writer.WriteCount(NumEnvs, "sub-envs");
        foreach (var env in _envs)
        {
            env.WriteState(writer);
        }

        writer.WriteArray(_needsReset);
        writer.WriteArray(_finalObservations);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader(Id, StateVersion);
        reader.ReadCount(NumEnvs, "sub-envs");
        foreach (var env in _envs)
        {
            env.ReadState(reader);
        }

        reader.ReadArray(_needsReset);
        reader.ReadArray(_finalObservations);
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _workers.Dispose();

    /// <summary>Steps sub-envs <paramref name="start"/> to <paramref name="end"/> (called by the worker group).</summary>
    void IRangeWork.Execute(int start, int end)
    {
        var size = _observationSize;
        for (var i = start; i < end; i++)
        {
            var env = _envs[i];
            var observation = new Span<float>(_observations + ((long)i * size), size);
            _truncated[i] = false;
            if (_needsReset[i])
            {
                // NextStep: this step only starts the new episode; its action is ignored.
                env.Reset();
                env.WriteObservation(observation);
                _needsReset[i] = false;
                _rewards[i] = 0;
                _terminated[i] = false;
                continue;
            }

            var (reward, terminal) = env.Act(_actionMap[(int)_actions[i]]);
            _rewards[i] = reward;
            _terminated[i] = terminal;
            if (!terminal)
            {
                env.WriteObservation(observation);
            }
            else if (AutoresetMode == AutoresetMode.SameStep)
            {
                env.WriteObservation(_finalObservations.AsSpan(i * size, size));
                env.Reset();
                env.WriteObservation(observation);
            }
            else
            {
                env.WriteObservation(observation);
                _needsReset[i] = true;
            }
        }
    }

    private void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{Id}: '{name}' has {actual} elements; {NumEnvs} sub-envs need {expected}.", name);
        }
    }
}
