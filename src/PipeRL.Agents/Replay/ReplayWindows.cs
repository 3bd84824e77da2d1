namespace PipeRL.Agents.Replay;

/// <summary>
/// A batch of windows sampled by <see cref="SequenceReplayBuffer"/>: for each sample, the actor inputs of
/// <see cref="Length"/> consecutive ticks ending at the sampled transition, followed by the input after it (the next
/// observation's, or the final one where the episode ended), with the transition's action, reward and end flags.
/// Replaying ticks 0 … L − 1 gives the action at the transition; ticks 1 … L give the action a′ at the next state.
/// For a delayed actor with the in-flight history window, the actor's own inputs differ from the stored ones (see
/// <see cref="ActorInputs"/>).
/// </summary>
public sealed class ReplayWindows
{
    /// <summary>
    /// Buffers for <paramref name="batch"/> windows of <paramref name="length"/> ticks; with
    /// <paramref name="inFlightObservationSize"/> (the floats of an observation, before the history), also the in-flight
    /// inputs of <see cref="ActorInputs"/>.
    /// </summary>
    public ReplayWindows(int batch, int length, int inputSize, int actionSize, int? inFlightObservationSize = null)
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
        if (inFlightObservationSize is { } observationSize)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(observationSize);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(observationSize, inputSize);
            InFlightObservationSize = observationSize;
            ActorInputs = new float[(length + 1) * batch * inputSize];
        }
        else
        {
            ActorInputs = Inputs;
        }
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

    /// <summary>
    /// The inputs the actor is replayed on, [L + 1, batch, input], tick-major. The stored inputs
    /// [o_t; a_(t−K) … a_(t−1)] (<see cref="Inputs"/> itself) unless the windows are in-flight: then ticks 0 … L − 1 hold
    /// [o_t; a_(t−K+1) … a_t], the observation of the row at tick t and the history of the row after it, which is the
    /// history once a_t was pushed (the next step's row, or the episode's final row); tick L holds the stored input
    /// after the window, which a delayed actor's outputs up to tick L do not read.
    /// </summary>
    public float[] ActorInputs { get; }

    /// <summary>The floats of an observation when <see cref="ActorInputs"/> are in-flight inputs, else null.</summary>
    public int? InFlightObservationSize { get; }

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
