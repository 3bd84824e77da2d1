namespace PipeRL.Pipeline.Graph;

/// <summary>Which tick's value of its source an edge reads during tick t.</summary>
public enum TickTiming
{
    /// <summary>The source's value from tick t: no tick boundary (graph inputs, wiring, same-tick layers).</summary>
    SameTick,

    /// <summary>The source's value from tick t−1: one tick boundary (the pipelined default between layers).</summary>
    PreviousTick,
}
