namespace PipeRL.Pipeline.Catalogue;

/// <summary>How an architecture's graph is run in real time (design section 2, "Execution modes of one graph").</summary>
public enum ExecutionMode
{
    /// <summary>The whole graph in one tick: every edge reads the same tick and the action uses the head of the same tick (zero delay).</summary>
    Instant,

    /// <summary>The pipelined semantics: edges read their marked tick and the action applied at t+1 comes from the head of tick t.</summary>
    Pipelined,

    /// <summary>
    /// The honest real-time baseline: a graph of depth N needs N ticks for one whole-graph pass, so a new action comes
    /// every N ticks, computed from the input latched at the start of the pass; the previous action is held meanwhile
    /// (delay N, action period N). Executors run its passes as <see cref="Instant"/>.
    /// </summary>
    Sequential,
}
