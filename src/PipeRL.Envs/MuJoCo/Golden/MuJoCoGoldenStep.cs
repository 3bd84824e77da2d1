namespace PipeRL.Envs.MuJoCo.Golden;

/// <summary>One <c>step</c> line of a MuJoCo golden trace: the action applied and everything Gymnasium returned after it.</summary>
public sealed class MuJoCoGoldenStep
{
    /// <summary>The 1-based line in the trace file.</summary>
    public required int Line { get; init; }

    /// <summary>The step's index within its episode, from 0.</summary>
    public required int T { get; init; }

    /// <summary>The action (float32 values, some outside the control range).</summary>
    public required float[] Action { get; init; }

    /// <summary>The observation after the step (float64 in Gymnasium).</summary>
    public required double[] Observation { get; init; }

    /// <summary>The reward.</summary>
    public required double Reward { get; init; }

    /// <summary>Whether the step ended the episode by the task's own rule.</summary>
    public required bool Terminated { get; init; }

    /// <summary>Whether the step hit the time limit.</summary>
    public required bool Truncated { get; init; }

    /// <summary>Every numeric entry of Gymnasium's info.</summary>
    public required IReadOnlyDictionary<string, double> Info { get; init; }

    /// <summary><c>qpos</c> after the step.</summary>
    public required double[] Qpos { get; init; }

    /// <summary><c>qvel</c> after the step.</summary>
    public required double[] Qvel { get; init; }
}
