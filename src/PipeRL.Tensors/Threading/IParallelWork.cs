namespace PipeRL.Tensors;

/// <summary>A piece of work that a <see cref="WorkerPool"/> splits into parts, one per thread.</summary>
public interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="partCount"/> (each part runs exactly once).</summary>
    void Execute(int part, int partCount);
}
