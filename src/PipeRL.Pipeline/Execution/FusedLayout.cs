namespace PipeRL.Pipeline.Execution;

/// <summary>How a <see cref="FusedTickExecutor"/> stores its block-structured weight.</summary>
public enum FusedLayout
{
    /// <summary>One dense matrix over all layer values, zeros outside the blocks (the authors' <c>ActorSlowInParallel</c>).</summary>
    Dense,

    /// <summary>Only the nonzero blocks, each multiplied in turn within one pass (their <c>ActorSlowInParallelSparse</c>).</summary>
    BlockSparse,
}
