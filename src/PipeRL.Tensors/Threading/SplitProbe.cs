using System.Diagnostics;

namespace PipeRL.Tensors;

/// <summary>
/// Chooses, by timing, whether work that can run split over threads is faster split or on one thread. Every period starts
/// with a probe: untimed split runs until one has every worker on time (at most 8; they wake workers that slept through
/// one-thread runs, whose wake-up would otherwise count against the timed splits), then the two ways in turn, split first, 16 pairs
/// and at least 2 ms or, for long runs, until two or more pairs took 20 ms. The faster way in total time is kept for the rest of the period, so a split that a busy
/// machine or a short run makes slower falls back to one thread, and comes back when it pays again.
/// </summary>
/// <remarks>
/// <para>A period ends after 4096 runs or a quarter of a second, whichever comes first, but lasts at least long enough for
/// its probe to take a fiftieth of the time, so long runs (a 10 ms tick) are not timed half the time, a quarter of it on one
/// thread. The first period is never stretched: its probe runs while the code is still being compiled.</para>
/// <para><c>var split = probe.Next(out var timed);</c> then run that way and, when <c>timed</c>, pass the elapsed
/// <see cref="Stopwatch"/> ticks to <see cref="Record"/>. Nothing allocates.</para>
/// </remarks>
public sealed class SplitProbe
{
    /// <summary>The most untimed split runs that start a probe, waiting for late workers.</summary>
    private const int MaxWakeRuns = 8;

    /// <summary>The most pairs of a probe of short runs that has not yet taken its minimum time.</summary>
    private const int MaxShortPairs = 1024;

    private readonly int _maxPairs;
    private readonly int _period;
    private readonly long _periodTicks;
    private readonly long _probeBudgetTicks;
    private readonly long _probeMinimumTicks;
    private readonly double _margin;
    private readonly double _restPerProbeTick;
    private int _runInPeriod;
    private bool _probing = true;
    private int _timedRuns;
    private long _splitTicks;
    private long _oneTicks;
    private long _periodEnd;
    private bool _nextSplits;
    private bool _nextTimed;
    private bool _checkedOnce;
    private int _wakeRuns;

    /// <summary>
    /// Creates a probe that times up to <paramref name="probeRuns"/> runs of each way (fewer once two pairs or more took
    /// <paramref name="probeSeconds"/>) at the start of every period of <paramref name="period"/> runs or
    /// <paramref name="periodSeconds"/> seconds (whichever ends first) and keeps the split when its runs took less than
    /// <paramref name="margin"/> times one thread's in all. Totals, not medians: a busy machine that stalls one split run in
    /// four (a worker descheduled while the caller waits for it) must count against the split. From the second period on,
    /// a period's time is at least what makes its probe <paramref name="probeShare"/> of it (1: no such floor). A probe of short
    /// runs goes on past <paramref name="probeRuns"/> pairs until it has taken <paramref name="probeMinimumSeconds"/>: sixteen
    /// pairs of 10 µs ticks are a third of a millisecond, which one interrupt or a neighbour's burst on a shared host can
    /// tip against the split.
    /// </summary>
    public SplitProbe(int probeRuns = 16, int period = 4096, double periodSeconds = 0.25, double margin = 0.95, double probeShare = 0.02, double probeSeconds = 0.02, double probeMinimumSeconds = 0.002)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probeRuns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, (2 * probeRuns) + 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(probeShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probeShare, 1);
        _maxPairs = probeRuns;
        _period = period;
        _periodTicks = Ticks(periodSeconds);
        _probeBudgetTicks = Ticks(probeSeconds);
        _probeMinimumTicks = Ticks(probeMinimumSeconds);
        _margin = margin;
        _restPerProbeTick = (1 / probeShare) - 1;
    }

    /// <summary>Whether runs outside the probes split (the last probe's verdict; true before the first).</summary>
    public bool Splits { get; private set; } = true;

    /// <summary>Runs recorded so far.</summary>
    public long Runs { get; private set; }

    /// <summary>Runs recorded so far that split (probe runs included).</summary>
    public long SplitRuns { get; private set; }

    /// <summary>Whether the next run splits; <paramref name="timed"/> says that its time must be passed to <see cref="Record"/>.</summary>
    public bool Next(out bool timed)
    {
        if (!_probing && (_runInPeriod >= _period || Stopwatch.GetTimestamp() >= _periodEnd))
        {
            (_probing, _runInPeriod, _timedRuns, _splitTicks, _oneTicks, _wakeRuns) = (true, 0, 0, 0, 0, 0);
        }

        // A probe starts with untimed wake-up splits; then timed runs alternate, split first.
        var waking = _probing && _wakeRuns >= 0;
        _nextTimed = timed = _probing && !waking;
        _nextSplits = waking || (_probing ? (_timedRuns & 1) == 0 : Splits);
        return _nextSplits;
    }

    /// <summary>
    /// Records the <see cref="Stopwatch"/> ticks of the run <see cref="Next"/> announced (timed or not), and moves on;
    /// <paramref name="workersOnTime"/> false says that a split run's workers were late (another thread ran their share).
    /// </summary>
    public void Record(long elapsed, bool workersOnTime = true)
    {
        _runInPeriod++;
        Runs++;
        SplitRuns += _nextSplits ? 1 : 0;
        if (!_nextTimed)
        {
            if (_probing)
            {
                _wakeRuns = workersOnTime || ++_wakeRuns >= MaxWakeRuns ? -1 : _wakeRuns;
            }

            return;
        }

        if (_nextSplits)
        {
            _splitTicks += elapsed;
        }
        else
        {
            _oneTicks += elapsed;
        }

        var pairs = ++_timedRuns / 2;
        var probe = _splitTicks + _oneTicks;
        if ((_timedRuns & 1) == 1
            || (pairs < _maxPairs && (pairs < 2 || probe < _probeBudgetTicks))
            || (probe < _probeMinimumTicks && pairs < MaxShortPairs))
        {
            return;
        }

        var rest = _checkedOnce ? Math.Max(_periodTicks, Math.Min(long.MaxValue / 4, probe * _restPerProbeTick)) : _periodTicks;
        _periodEnd = Stopwatch.GetTimestamp() + (long)rest;
        Splits = _splitTicks < _margin * _oneTicks;
        _probing = false;
        _checkedOnce = true;
    }

    private static long Ticks(double seconds) => (long)Math.Min(long.MaxValue / 4, seconds * Stopwatch.Frequency);
}
