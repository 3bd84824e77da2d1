namespace PipeRL.Envs.MinAtar;

/// <summary>
/// A MinAtar game as an <see cref="IEnv"/> (the reference's Gymnasium wrapper): <c>minatar/&lt;game&gt;</c> takes
/// the full six actions, <c>minatar/&lt;game&gt;-minimal</c> the game's minimal set, mapped to full-set indices
/// before the sticky-action substitution. Observations are 10·10·C floats in 0/1; episodes never truncate.
/// </summary>
public sealed class MinAtarEnv : IEnv, IStatefulEnv
{
    private const int StateVersion = 1;

    private readonly int[] _actionMap;
    private readonly DiscreteSpace _actionSpace;
    private bool _needsReset = true;

    /// <summary>Wraps <paramref name="environment"/>; <paramref name="minimalActions"/> selects the game's minimal action set.</summary>
    public MinAtarEnv(MinAtarEnvironment environment, bool minimalActions)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Environment = environment;
        var game = environment.Game;
        _actionMap = minimalActions
            ? [.. game.MinimalActionSet]
            : [0, 1, 2, 3, 4, 5];
        _actionSpace = new DiscreteSpace(_actionMap.Length);
        Id = MinAtarGames.IdPrefix + game.Name + (minimalActions ? MinAtarGames.MinimalSuffix : string.Empty);
        ObservationSpace = BoxSpace.Binary([MinAtarBoard.Size, MinAtarBoard.Size, game.Channels]);
    }

    /// <summary>The reference-level environment underneath (sticky actions, seeding, the game).</summary>
    public MinAtarEnvironment Environment { get; }

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public BoxSpace ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace => _actionSpace;

    /// <inheritdoc/>
    public EnvInfo Info { get; } = new();

    /// <summary>The full-set action index that agent action <paramref name="action"/> stands for.</summary>
    public int FullAction(int action) => _actionMap[action];

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(s, nameof(seed));
            Environment.Seed((uint)s);
        }

        Environment.Reset();
        Environment.WriteObservation(observation);
        _needsReset = false;
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_needsReset)
        {
            throw new InvalidOperationException($"{Id}: Step called before Reset or after the episode ended; call Reset first.");
        }

        var index = ActionIndex(action);
        var (reward, terminal) = Environment.Act(_actionMap[index]);
        Environment.WriteObservation(observation);
        _needsReset = terminal;
        return new StepResult(reward, terminal, false);
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader(Id, StateVersion);
        Environment.WriteState(writer);
        writer.Write(_needsReset);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader(Id, StateVersion);
        Environment.ReadState(reader);
        _needsReset = reader.ReadBoolean();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private int ActionIndex(ReadOnlySpan<float> action)
    {
        if (action.Length != 1)
        {
            throw new ArgumentException($"{Id} takes one discrete action per step, got a buffer of {action.Length} values.", nameof(action));
        }

        var value = action[0];
        var index = (int)value;
        if (index != value || (uint)index >= (uint)_actionMap.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(action), value, $"{Id} actions are integers 0..{_actionMap.Length - 1} ({ActionNames()}).");
        }

        return index;
    }

    private string ActionNames() => string.Join(", ", _actionMap.Select((full, i) => $"{i}={(MinAtarAction)full}"));
}
