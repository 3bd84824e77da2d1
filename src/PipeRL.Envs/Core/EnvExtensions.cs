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

    /// <summary>The env's state access; an env that cannot save its state is refused with a <see cref="NotSupportedException"/> naming it.</summary>
    public static IStatefulEnv Stateful(this IEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env as IStatefulEnv ?? throw new NotSupportedException($"Env '{env.Id}' ({env.GetType().Name}) cannot save its state, so a checkpoint could not continue it exactly.");
    }
}
