using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>The tick implementations, by name: the same pipelined step computed in different ways.</summary>
public static class TickExecutors
{
    /// <summary>One layer after another on the calling thread (<see cref="PipelineExecutor"/> without a pool).</summary>
    public const string Layers = "layers";

    /// <summary>
    /// <see cref="PipelineExecutor"/> with a worker pool, spread as its cost model chooses, falling back to one thread
    /// while its timing checks find that faster.
    /// </summary>
    public const string Parallel = "parallel";

    /// <summary><see cref="PipelineExecutor"/> with a worker pool that forks every tick (<see cref="TickScheduling.Parallel"/>): the split without its safety net.</summary>
    public const string ParallelAlways = "parallel-always";

    /// <summary>
    /// <see cref="Parallel"/> whose split ticks return before the workers' layers are done (<see cref="PipelineExecutor.OverlapsTicks"/>):
    /// for inference, as the weights must hold still between ticks.
    /// </summary>
    public const string ParallelOverlapped = "parallel-overlapped";

    /// <summary><see cref="FusedTickExecutor"/> over one dense block-structured matrix.</summary>
    public const string FusedDense = "fused-dense";

    /// <summary><see cref="FusedTickExecutor"/> over the nonzero blocks only.</summary>
    public const string FusedSparse = "fused-sparse";

    /// <summary>Every name, in the order above.</summary>
    public static IReadOnlyList<string> Names { get; } = [Layers, Parallel, ParallelAlways, ParallelOverlapped, FusedDense, FusedSparse];

    /// <summary>
    /// Creates tick implementation <paramref name="name"/> of pipelined <paramref name="network"/> for <paramref name="batch"/>
    /// envs; <see cref="Parallel"/> needs <paramref name="workers"/>. An unknown name throws, listing the valid ones.
    /// </summary>
    public static ITickExecutor Create(string name, PipelineNetwork network, int batch, WorkerPool? workers = null) => name switch
    {
        Layers => new PipelineExecutor(network, batch),
        Parallel => new PipelineExecutor(network, batch, workers: Pool(workers, name)),
        ParallelAlways => new PipelineExecutor(network, batch, workers: Pool(workers, name), scheduling: TickScheduling.Parallel),
        ParallelOverlapped => new PipelineExecutor(network, batch, workers: Pool(workers, name), overlapTicks: true),
        FusedDense => new FusedTickExecutor(network, batch, FusedLayout.Dense),
        FusedSparse => new FusedTickExecutor(network, batch, FusedLayout.BlockSparse),
        _ => throw new ArgumentException($"Unknown tick implementation '{name}'; valid: {string.Join(", ", Names)}.", nameof(name)),
    };

    private static WorkerPool Pool(WorkerPool? workers, string name) =>
        workers ?? throw new ArgumentException($"The {name} tick needs a worker pool.", nameof(workers));
}
