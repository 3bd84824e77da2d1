namespace PipeRL.Envs;

/// <summary>Many copies of one env stepped together into batched, row-major buffers (one row per sub-env).</summary>
public interface IVectorEnv : IDisposable
{
    /// <summary>Number of sub-envs.</summary>
    int NumEnvs { get; }

    /// <summary>The observation space of one sub-env.</summary>
    BoxSpace SingleObservationSpace { get; }

    /// <summary>The action space of one sub-env.</summary>
    Space SingleActionSpace { get; }

    /// <summary>How episodes that end are restarted.</summary>
    AutoresetMode AutoresetMode { get; }

    /// <summary>Resets every sub-env; sub-env i is seeded with <c>seed + i</c> when a seed is given.</summary>
    void Reset(Span<float> observations, int? seed = null);

    /// <summary>Steps every sub-env with its row of <paramref name="actions"/>.</summary>
    void Step(ReadOnlySpan<float> actions, Span<float> observations, Span<double> rewards, Span<bool> terminated, Span<bool> truncated);

    /// <summary>With <see cref="AutoresetMode.SameStep"/>: the last observation of sub-env <paramref name="env"/>'s episode that ended in the latest step.</summary>
    ReadOnlySpan<float> FinalObservation(int env);

    /// <summary>
    /// Environment steps the last <see cref="Step"/> took over all sub-envs: one each, unless a wrapper repeats the
    /// action (τ = k, fewer when an episode ends inside the repeat) or holds it (τ = 1/m, none on most ticks).
    /// </summary>
    int LastEnvSteps => NumEnvs;
}
