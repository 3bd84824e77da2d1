using System.Diagnostics;

namespace PipeRL.Tensors;

/// <summary>
/// Runs a repeated unit of work (a training update) with a <see cref="WorkerPool"/> or on the calling thread alone,
/// whichever its timing checks find faster: the pool's splits pay on one machine and lose on another (batch-256
/// products on a host whose two cores share their memory bandwidth), and the results are the same bits either way.
/// </summary>
/// <remarks>
/// <c>var workers = choice.Next(pool);</c>, run the unit with <c>workers</c> (the pool or null), then
/// <c>choice.Done();</c>. A <see cref="SplitProbe"/> decides: at the start of each period it times a block of units
/// with the pool against as many without, for at least a tenth of a second each, and keeps the faster; the probe takes
/// at most a fiftieth of the time. Give each kind of unit its own choice (a critic update, an actor update), so a block
/// is not a mix of long and short units. Nothing allocates.
/// </remarks>
public sealed class WorkerChoice
{
    private readonly SplitProbe _probe = new(probeRuns: 4, period: int.MaxValue, periodSeconds: 1, probeSeconds: 0.2, probeMinimumSeconds: 0.2);
    private readonly Func<long> _clock;
    private long _start = -1;
    private bool _timed;

    /// <summary>Times units with <see cref="Stopwatch"/>.</summary>
    public WorkerChoice()
        : this(Stopwatch.GetTimestamp)
    {
    }

    /// <summary>Times units with <paramref name="clock"/> (<see cref="Stopwatch"/> ticks), so tests can give each way a known cost.</summary>
    internal WorkerChoice(Func<long> clock) => _clock = clock;

    /// <summary>Units run so far.</summary>
    public long Units => _probe.Runs;

    /// <summary>Units run with the pool so far (probes included).</summary>
    public long PoolUnits => _probe.SplitRuns;

    /// <summary>Whether units outside the probes use the pool (the last probe's verdict).</summary>
    public bool UsesPool => _probe.Splits;

    /// <summary>The workers the next unit runs with: <paramref name="pool"/>, or null for the calling thread alone (always null without a pool).</summary>
    public WorkerPool? Next(WorkerPool? pool)
    {
        if (pool is null || pool.ThreadCount < 2)
        {
            _timed = false;
            _start = -1;
            return pool;
        }

        var split = _probe.Next(out _timed);
        _start = _clock();
        return split ? pool : null;
    }

    /// <summary>Ends the unit <see cref="Next"/> started.</summary>
    public void Done()
    {
        if (_start < 0)
        {
            return;
        }

        _probe.Record(_timed ? _clock() - _start : 0);
        _start = -1;
    }
}
