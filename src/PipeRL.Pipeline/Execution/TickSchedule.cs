using System.Globalization;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// What a <see cref="PipelineExecutor"/> chose at construction for its ticks: per wave of independent layers, the threads
/// and the layers (or shares) each computes, with the tick cost model's estimates.
/// </summary>
public sealed class TickSchedule
{
    internal TickSchedule(IReadOnlyList<WaveSchedule> waves, int poolThreads)
    {
        Waves = waves;
        PoolThreads = poolThreads;
    }

    /// <summary>The waves in tick order.</summary>
    public IReadOnlyList<WaveSchedule> Waves { get; }

    /// <summary>The threads of the executor's pool (1 without one).</summary>
    public int PoolThreads { get; }

    /// <summary>The most threads any wave uses (1 when the whole tick runs on the caller).</summary>
    public int Threads => Waves.Count == 0 ? 1 : Waves.Max(w => w.Split == WaveSplit.OneThread ? 1 : w.Threads.Count);

    /// <summary>The estimated tick time as scheduled (microseconds).</summary>
    public double EstimatedMicroseconds => Waves.Sum(w => w.EstimatedNs) / 1000;

    /// <summary>The estimated tick time on one thread (microseconds).</summary>
    public double OneThreadMicroseconds => Waves.Sum(w => w.OneThreadNs) / 1000;

    /// <summary>One line for the whole tick, then one per wave.</summary>
    public IReadOnlyList<string> Describe() =>
    [
        string.Create(CultureInfo.InvariantCulture, $"tick on {Threads} of {PoolThreads} thread(s): est. {EstimatedMicroseconds:0.0} us, one thread {OneThreadMicroseconds:0.0} us"),
        .. Waves.Select((w, i) => string.Create(CultureInfo.InvariantCulture, $"  wave {i}: {w}")),
    ];
}
