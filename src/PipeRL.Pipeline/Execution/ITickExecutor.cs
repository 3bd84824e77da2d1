namespace PipeRL.Pipeline.Execution;

/// <summary>Something that runs a network one tick per call for a batch of envs (see <see cref="TickExecutors"/>).</summary>
public interface ITickExecutor
{
    /// <summary>The number of envs.</summary>
    int Batch { get; }

    /// <summary>Runs one tick on the batch's input ([batch, input size], row-major) of a single-input graph.</summary>
    void Tick(ReadOnlySpan<float> input);

    /// <summary>The value of head <paramref name="head"/> that acts during the last tick.</summary>
    ReadOnlySpan<float> Output(string head);
}
