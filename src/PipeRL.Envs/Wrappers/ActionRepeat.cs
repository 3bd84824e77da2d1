namespace PipeRL.Envs.Wrappers;

/// <summary>
/// τ = k: one agent step repeats the action for <see cref="Repeat"/> environment steps and sums their rewards,
/// stopping early when the episode ends (the authors' <c>SkipFrameWrapper</c>). Info <c>env_steps</c> holds the
/// environment steps the last agent step took.
/// </summary>
public sealed class ActionRepeat : IEnv, IStatefulEnv
{
    /// <summary>The info key holding the environment steps of the last agent step.</summary>
    public const string EnvStepsKey = "env_steps";

    private const int StateVersion = 1;

    private readonly IEnv _env;

    /// <summary>Wraps <paramref name="env"/> so each step repeats the action <paramref name="repeat"/> times.</summary>
    public ActionRepeat(IEnv env, int repeat)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (repeat < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(repeat), repeat, "An action repeat (tau) must be at least 1 environment step.");
        }

        _env = env;
        Repeat = repeat;
    }

    /// <summary>Environment steps per agent step.</summary>
    public int Repeat { get; }

    /// <inheritdoc/>
    public string Id => _env.Id;

    /// <inheritdoc/>
    public BoxSpace ObservationSpace => _env.ObservationSpace;

    /// <inheritdoc/>
    public Space ActionSpace => _env.ActionSpace;

    /// <inheritdoc/>
    public EnvInfo Info => _env.Info;

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null) => _env.Reset(observation, seed);

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var total = 0.0;
        var steps = 0;
        StepResult result;
        do
        {
            result = _env.Step(action, observation);
            total += result.Reward;
            steps++;
        }
        while (!result.Done && steps < Repeat);

        _env.Info.Set(EnvStepsKey, steps);
        return result with { Reward = total };
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader("action-repeat", StateVersion);
        _env.Stateful().WriteState(writer);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader("action-repeat", StateVersion);
        _env.Stateful().ReadState(reader);
    }

    /// <inheritdoc/>
    public void Dispose() => _env.Dispose();
}
