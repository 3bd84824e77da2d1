namespace PipeRL.Pipeline.Execution;

/// <summary>The layer values an unrolled window starts from (the values "before" its first tick).</summary>
public enum UnrolledStart
{
    /// <summary>Every layer value and LSTM cell is zero (the authors' SAC updates).</summary>
    Zero,

    /// <summary>The values of an instant (whole-graph) pass on the first tick's input, recorded on the tape so gradients flow into them (the authors' PPO updates).</summary>
    Instant,

    /// <summary>Given values, e.g. a <see cref="PipelineExecutor.State"/> saved while acting; constants on the tape.</summary>
    Given,
}
