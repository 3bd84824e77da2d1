namespace PipeRL.Tensors;

/// <summary>A piece of work that a <see cref="WorkerPool"/> splits into chunks, claimed by whichever thread is free.</summary>
public interface IParallelWork
{
    /// <summary>Runs chunk <paramref name="chunk"/> of <paramref name="chunkCount"/> (each chunk runs exactly once, on any thread).</summary>
    void Execute(int chunk, int chunkCount);
}
