namespace PipeRL.Envs.Threading;

/// <summary>Work over a range of indices that a <see cref="WorkerGroup"/> splits between threads.</summary>
internal interface IRangeWork
{
    /// <summary>Processes indices <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    void Execute(int start, int end);
}
