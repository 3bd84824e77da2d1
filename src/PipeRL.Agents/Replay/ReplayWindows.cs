namespace PipeRL.Agents.Replay;

/// <summary>
/// A batch of windows sampled by <see cref="SequenceReplayBuffer"/>: for each sample, the actor inputs of
/// <see cref="Length"/> consecutive ticks ending at the sampled transition, followed by the input after it (the next
/// observation's, or the final one where the episode ended), with the transition's action, reward and end flags.
/// Replaying ticks 0 … L − 1 gives the action at the transition; ticks 1 … L give the action a′ at the next state.
/// </summary>
public sealed class ReplayWindows
{
    /// <summary>Buffers for <paramref name="batch"/> windows of <paramref name="length"/> ticks.</summary>
    public ReplayWindows(int batch, int length, int inputSize, int actionSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionSize, 1);
        (Batch, Length, InputSize, ActionSize) = (batch, length, inputSize, actionSize);
        Inputs = new float[(length + 1) * batch * inputSize];
        Rows = new long[(length + 1) * batch];
        Actions = new float[batch * actionSize];
        Rewards = new float[batch];
        Terminated = new bool[batch];
        Truncated = new bool[batch];
    }

    /// <summary>Windows in the batch.</summary>
    public int Batch { get; }

    /// <summary>L, the ticks of one window (the last one is the sampled transition's).</summary>
    public int Length { get; }

    /// <summary>Floats of one input.</summary>
    public int InputSize { get; }

    /// <summary>Floats of one action.</summary>
    public int ActionSize { get; }

    /// <summary>Inputs [L + 1, batch, input], tick-major: ticks 0 … L − 1 are the window, tick L the input after it.</summary>
    public float[] Inputs { get; }

    /// <summary>The buffer row each input came from, [L + 1, batch] (rows count every row ever written).</summary>
    public long[] Rows { get; }

    /// <summary>The transitions' actions [batch, action].</summary>
    public float[] Actions { get; }

    /// <summary>The transitions' rewards.</summary>
    public float[] Rewards { get; }

    /// <summary>Whether each transition ended its episode by a termination.</summary>
    public bool[] Terminated { get; }

    /// <summary>Whether each transition ended its episode by a time-limit cut (and not a termination).</summary>
    public bool[] Truncated { get; }

    /// <summary>The inputs of tick <paramref name="tick"/> (0 … L), [batch, input].</summary>
    public Span<float> Tick(int tick) => Inputs.AsSpan(tick * Batch * InputSize, Batch * InputSize);
}
