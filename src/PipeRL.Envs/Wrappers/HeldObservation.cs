namespace PipeRL.Envs.Wrappers;

/// <summary>
/// τ = 1/m: the agent runs <see cref="TicksPerStep"/> ticks per environment step. Each wrapper step is one tick: the
/// observation is held and the action ignored on the first m−1 ticks (reward 0), and the m-th tick's action is
/// applied to the env. Info <c>env_steps</c> holds the environment steps the tick took (0 or 1).
/// </summary>
public sealed class HeldObservation : IEnv, IStatefulEnv
{
    private const int StateVersion = 1;

    private readonly IEnv _env;
    private readonly float[] _held;
    private int _tick;

    /// <summary>Wraps <paramref name="env"/> so each env step spans <paramref name="ticksPerStep"/> ticks.</summary>
    public HeldObservation(IEnv env, int ticksPerStep)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (ticksPerStep < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ticksPerStep), ticksPerStep, "tau = 1/m needs m >= 1 ticks per environment step.");
        }

        _env = env;
        _held = new float[env.ObservationSpace.FlatSize];
        TicksPerStep = ticksPerStep;
    }

    /// <summary>m, the ticks per environment step.</summary>
    public int TicksPerStep { get; }

    /// <inheritdoc/>
    public string Id => _env.Id;

    /// <inheritdoc/>
    public BoxSpace ObservationSpace => _env.ObservationSpace;

    /// <inheritdoc/>
    public Space ActionSpace => _env.ActionSpace;

    /// <inheritdoc/>
    public EnvInfo Info => _env.Info;

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null)
    {
        _env.Reset(observation, seed);
        observation.CopyTo(_held);
        _tick = 0;
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (++_tick < TicksPerStep)
        {
            _held.CopyTo(observation);
            _env.Info.Set(ActionRepeat.EnvStepsKey, 0);
            return new StepResult(0, false, false);
        }

        _tick = 0;
        var result = _env.Step(action, observation);
        observation.CopyTo(_held);
        _env.Info.Set(ActionRepeat.EnvStepsKey, 1);
        return result;
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader("held-observation", StateVersion);
        writer.WriteArray(_held);
        writer.Write(_tick);
        _env.Stateful().WriteState(writer);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader("held-observation", StateVersion);
        reader.ReadArray(_held);
        _tick = reader.ReadInt32(0, TicksPerStep - 1, "a tick inside the env step");
        _env.Stateful().ReadState(reader);
    }

    /// <inheritdoc/>
    public void Dispose() => _env.Dispose();
}
