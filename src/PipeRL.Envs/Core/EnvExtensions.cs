namespace PipeRL.Envs;

/// <summary>Conveniences over <see cref="IEnv"/>.</summary>
public static class EnvExtensions
{
    /// <summary>Steps a discrete-action env with the action index <paramref name="action"/>.</summary>
    public static StepResult Step(this IEnv env, int action, Span<float> observation)
    {
        ReadOnlySpan<float> flat = [action];
        return env.Step(flat, observation);
    }
}
