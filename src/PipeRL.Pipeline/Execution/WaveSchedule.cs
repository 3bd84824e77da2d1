using System.Globalization;

namespace PipeRL.Pipeline.Execution;

/// <summary>What an executor chose for one wave of its tick, with the cost model's estimates.</summary>
public sealed class WaveSchedule
{
    internal WaveSchedule(WaveSplit split, IReadOnlyList<IReadOnlyList<string>> threads, double estimatedNs, double oneThreadNs)
    {
        Split = split;
        Threads = threads;
        EstimatedNs = estimatedNs;
        OneThreadNs = oneThreadNs;
    }

    /// <summary>How the wave's layers are spread.</summary>
    public WaveSplit Split { get; }

    /// <summary>Per thread (the caller first): the layers it computes, a share written as "fc1 1/2".</summary>
    public IReadOnlyList<IReadOnlyList<string>> Threads { get; }

    /// <summary>The estimated time of the wave as scheduled (nanoseconds).</summary>
    public double EstimatedNs { get; }

    /// <summary>The estimated time of the wave on one thread (nanoseconds).</summary>
    public double OneThreadNs { get; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var layers = string.Join(" | ", Threads.Select(t => string.Join(", ", t)));
        return string.Create(CultureInfo.InvariantCulture, $"{Describe(Split, Threads.Count)}: {layers} (est. {EstimatedNs / 1000:0.0} us, one thread {OneThreadNs / 1000:0.0} us)");
    }

    private static string Describe(WaveSplit split, int threads) => split switch
    {
        WaveSplit.OneThread => "one thread",
        WaveSplit.WholeLayers => $"{threads} threads, whole layers",
        WaveSplit.Shares => $"{threads} threads, layers and shares",
        _ => $"{threads} threads, each big layer split",
    };
}
