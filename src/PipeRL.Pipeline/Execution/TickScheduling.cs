namespace PipeRL.Pipeline.Execution;

/// <summary>How an executor with a worker pool decides which parts of a tick run on which thread.</summary>
public enum TickScheduling
{
    /// <summary>The tick cost model decides per wave: one thread unless more threads are estimated at least 10 % faster.</summary>
    Auto,

    /// <summary>Every wave with work for more than one thread forks, however short (for tests and comparisons).</summary>
    Parallel,
}
