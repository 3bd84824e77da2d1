namespace PipeRL.Envs;

/// <summary>
/// Gymnasium's environment contract in C#: <c>Reset(seed?) → (obs, info)</c> and
/// <c>Step(action) → (obs, reward, terminated, truncated, info)</c>. Observations are written into the caller's
/// buffer and actions are read from a flat float buffer (a discrete action is one float holding its index), so a
/// step allocates nothing. Every env owns its seeded random source.
/// </summary>
public interface IEnv : IDisposable
{
    /// <summary>The registered id, for example <c>minatar/breakout</c>.</summary>
    string Id { get; }

    /// <summary>The space of observations; a flat observation buffer has <see cref="Space.FlatSize"/> floats.</summary>
    BoxSpace ObservationSpace { get; }

    /// <summary>The space of actions: <see cref="DiscreteSpace"/> or <see cref="BoxSpace"/>.</summary>
    Space ActionSpace { get; }

    /// <summary>The info of the last reset or step, updated in place.</summary>
    EnvInfo Info { get; }

    /// <summary>Starts an episode; a seed re-seeds the env's random source, as Gymnasium's <c>reset(seed=...)</c>.</summary>
    void Reset(Span<float> observation, int? seed = null);

    /// <summary>Applies <paramref name="action"/> and writes the next observation.</summary>
    StepResult Step(ReadOnlySpan<float> action, Span<float> observation);
}
