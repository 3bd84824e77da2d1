namespace PipeRL.Envs.Wrappers;

/// <summary>
/// History augmentation: the observation becomes [o; a_1; …; a_K] (oldest first, one-hot for discrete actions,
/// zeros before the episode's first action). With <see cref="ActionHistoryWindow.IncludingPending"/> each step's
/// action is held and applied at the next step (the first step of an episode applies the initial action), so the
/// newest entry is the action the next step applies; with <see cref="ActionHistoryWindow.Authors"/> the action is
/// applied at once and the newest entry is the action that led to o.
/// </summary>
public sealed class LastActions : IEnv, IStatefulEnv
{
    private const int StateVersion = 1;

    private readonly IEnv _env;
    private readonly int _width;
    private readonly bool _discrete;
    private readonly float[] _window;
    private readonly float[] _pending;
    private readonly float[] _initial;
    private readonly int _observationSize;

    /// <summary>Wraps <paramref name="env"/>, appending its last <paramref name="length"/> actions to each observation.</summary>
    public LastActions(IEnv env, int length, ActionHistoryWindow window = ActionHistoryWindow.IncludingPending, float[]? initialAction = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        _env = env;
        _discrete = env.ActionSpace is DiscreteSpace;
        _width = env.ActionSpace is DiscreteSpace discrete ? discrete.N : env.ActionSpace.FlatSize;
        _observationSize = env.ObservationSpace.FlatSize;
        Length = length;
        Window = window;
        _window = new float[length * _width];
        _pending = new float[env.ActionSpace.FlatSize];
        _initial = initialAction ?? new float[env.ActionSpace.FlatSize];
        if (_initial.Length != env.ActionSpace.FlatSize || !env.ActionSpace.Contains(_initial))
        {
            throw new ArgumentException($"The initial action must be an element of {env.ActionSpace}.", nameof(initialAction));
        }

        var low = new float[_observationSize + _window.Length];
        var high = new float[low.Length];
        env.ObservationSpace.Low.CopyTo(low);
        env.ObservationSpace.High.CopyTo(high);
        var actionLow = env.ActionSpace is BoxSpace box ? box.Low : default;
        var actionHigh = env.ActionSpace is BoxSpace box2 ? box2.High : default;
        for (var k = 0; k < length; k++)
        {
            for (var j = 0; j < _width; j++)
            {
                low[_observationSize + (k * _width) + j] = _discrete ? 0f : actionLow[j];
                high[_observationSize + (k * _width) + j] = _discrete ? 1f : actionHigh[j];
            }
        }

        ObservationSpace = new BoxSpace([low.Length], low, high);
    }

    /// <summary>K, the number of actions listed.</summary>
    public int Length { get; }

    /// <summary>Which actions are listed.</summary>
    public ActionHistoryWindow Window { get; }

    /// <inheritdoc/>
    public string Id => _env.Id;

    /// <inheritdoc/>
    public BoxSpace ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace => _env.ActionSpace;

    /// <inheritdoc/>
    public EnvInfo Info => _env.Info;

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null)
    {
        _env.Reset(observation[.._observationSize], seed);
        Array.Clear(_window);
        if (Window == ActionHistoryWindow.IncludingPending)
        {
            _initial.CopyTo(_pending, 0);
            Push(_pending);
        }

        _window.CopyTo(observation[_observationSize..]);
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        StepResult result;
        if (Window == ActionHistoryWindow.IncludingPending)
        {
            result = _env.Step(_pending, observation[.._observationSize]);
            action.CopyTo(_pending);
        }
        else
        {
            result = _env.Step(action, observation[.._observationSize]);
        }

        Push(action);
        _window.CopyTo(observation[_observationSize..]);
        return result;
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader("last-actions", StateVersion);
        writer.WriteArray(_window);
        writer.WriteArray(_pending);
        _env.Stateful().WriteState(writer);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader("last-actions", StateVersion);
        reader.ReadArray(_window);
        reader.ReadArray(_pending);
        _env.Stateful().ReadState(reader);
    }

    /// <inheritdoc/>
    public void Dispose() => _env.Dispose();

    private void Push(ReadOnlySpan<float> action)
    {
        _window.AsSpan(_width).CopyTo(_window);
        var newest = _window.AsSpan(_window.Length - _width);
        if (_discrete)
        {
            newest.Clear();
            newest[(int)action[0]] = 1f;
        }
        else
        {
            action.CopyTo(newest);
        }
    }
}
