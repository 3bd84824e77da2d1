namespace PipeRL.Envs.MuJoCo.Golden;

/// <summary>One episode of a MuJoCo golden trace: how it was reset, the state it started from, and its steps.</summary>
public sealed class MuJoCoGoldenEpisode
{
    /// <summary>The 1-based line of the <c>episode</c> record.</summary>
    public required int Line { get; init; }

    /// <summary>The episode's index in the trace.</summary>
    public required int Index { get; init; }

    /// <summary>The seed Gymnasium's <c>reset(seed=...)</c> was given.</summary>
    public required ulong ResetSeed { get; init; }

    /// <summary>The <c>qpos</c> the reset passed to <c>set_state</c> (reference configuration plus noise).</summary>
    public required double[] InitQpos { get; init; }

    /// <summary>The <c>qvel</c> the reset passed to <c>set_state</c>.</summary>
    public required double[] InitQvel { get; init; }

    /// <summary><c>qpos</c> after the reset (after <c>mj_forward</c>, which normalises a free joint's quaternion).</summary>
    public required double[] ResetQpos { get; init; }

    /// <summary><c>qvel</c> after the reset.</summary>
    public required double[] ResetQvel { get; init; }

    /// <summary>The observation the reset returned.</summary>
    public required double[] ResetObservation { get; init; }

    /// <summary>Whether the last step terminated the episode.</summary>
    public required bool Terminated { get; init; }

    /// <summary>Whether the last step hit the time limit.</summary>
    public required bool Truncated { get; init; }

    /// <summary>The steps, in order (as many as the record's <c>length</c>).</summary>
    public required IReadOnlyList<MuJoCoGoldenStep> Steps { get; init; }
}
