namespace PipeRL.Pipeline.Catalogue;

/// <summary>How an architecture is meant to be run: the whole graph per tick, or one layer per tick.</summary>
public enum ExecutionMode
{
    /// <summary>The whole graph in one tick: every edge reads the same tick and the action uses the head of the same tick (zero delay).</summary>
    Instant,

    /// <summary>The pipelined semantics: edges read their marked tick and the action applied at t+1 comes from the head of tick t.</summary>
    Pipelined,
}
