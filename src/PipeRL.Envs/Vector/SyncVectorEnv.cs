using PipeRL.Envs.Wrappers;

namespace PipeRL.Envs.Vector;

/// <summary>
/// Any <see cref="IEnv"/> copies stepped one after another on the calling thread, with same-step autoreset: the
/// step that ends an episode returns the next episode's first observation and keeps the final one aside.
/// </summary>
public sealed class SyncVectorEnv : IVectorEnv, IStatefulEnv
{
    private const int StateVersion = 1;

    private readonly IEnv[] _envs;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private readonly float[] _finalObservations;

    /// <summary>Steps the given envs, which must share their spaces; the vector env owns and disposes them.</summary>
    public SyncVectorEnv(IReadOnlyList<IEnv> envs)
    {
        ArgumentNullException.ThrowIfNull(envs);
        if (envs.Count == 0)
        {
            throw new ArgumentException("A vector env needs at least one sub-env.", nameof(envs));
        }

        _envs = [.. envs];
        SingleObservationSpace = _envs[0].ObservationSpace;
        SingleActionSpace = _envs[0].ActionSpace;
        foreach (var env in _envs)
        {
            if (env.ObservationSpace.FlatSize != SingleObservationSpace.FlatSize || env.ActionSpace.FlatSize != SingleActionSpace.FlatSize)
            {
                throw new ArgumentException($"Sub-env '{env.Id}' has different spaces from '{_envs[0].Id}'; a vector env needs identical copies.", nameof(envs));
            }
        }

        _observationSize = SingleObservationSpace.FlatSize;
        _actionSize = SingleActionSpace.FlatSize;
        _finalObservations = new float[_envs.Length * _observationSize];
    }

    /// <summary>Creates <paramref name="numEnvs"/> envs with <paramref name="factory"/>, which receives each sub-env's index.</summary>
    public static SyncVectorEnv Create(int numEnvs, Func<int, IEnv> factory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numEnvs, 1);
        var envs = new IEnv[numEnvs];
        for (var i = 0; i < numEnvs; i++)
        {
            envs[i] = factory(i);
        }

        return new SyncVectorEnv(envs);
    }

    /// <inheritdoc/>
    public int NumEnvs => _envs.Length;

    /// <inheritdoc/>
    public BoxSpace SingleObservationSpace { get; }

    /// <inheritdoc/>
    public Space SingleActionSpace { get; }

    /// <inheritdoc/>
    public AutoresetMode AutoresetMode => AutoresetMode.SameStep;

    /// <inheritdoc/>
    public void Reset(Span<float> observations, int? seed = null)
    {
        for (var i = 0; i < _envs.Length; i++)
        {
            _envs[i].Reset(observations.Slice(i * _observationSize, _observationSize), seed is { } s ? s + i : null);
        }
    }

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<float> actions, Span<float> observations, Span<double> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        LastEnvSteps = 0;
        for (var i = 0; i < _envs.Length; i++)
        {
            var observation = observations.Slice(i * _observationSize, _observationSize);
            var result = _envs[i].Step(actions.Slice(i * _actionSize, _actionSize), observation);
            // Read before an autoreset; a bare env steps once per tick and does not set the key.
            LastEnvSteps += _envs[i].Info.TryGet(ActionRepeat.EnvStepsKey, out var steps) ? (int)steps : 1;
            rewards[i] = result.Reward;
            terminated[i] = result.Terminated;
            truncated[i] = result.Truncated;
            if (result.Done)
            {
                observation.CopyTo(_finalObservations.AsSpan(i * _observationSize, _observationSize));
                _envs[i].Reset(observation);
            }
        }
    }

    /// <inheritdoc/>
    public int LastEnvSteps { get; private set; }

    /// <inheritdoc/>
    public ReadOnlySpan<float> FinalObservation(int env) => _finalObservations.AsSpan(env * _observationSize, _observationSize);

    /// <summary>Writes every sub-env's state (each must be an <see cref="IStatefulEnv"/>) and the final observations.</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader("sync-vector", StateVersion);
        writer.WriteCount(NumEnvs, "sub-envs");
        foreach (var env in _envs)
        {
            env.Stateful().WriteState(writer);
        }

        writer.WriteArray(_finalObservations);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader("sync-vector", StateVersion);
        reader.ReadCount(NumEnvs, "sub-envs");
        foreach (var env in _envs)
        {
            env.Stateful().ReadState(reader);
        }

        reader.ReadArray(_finalObservations);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var env in _envs)
        {
            env.Dispose();
        }
    }
}
