using System.Diagnostics;

namespace PipeRL.Tensors;

/// <summary>
/// Chooses, by timing, whether work that can run split over threads is faster split or on one thread. Every period starts
/// with a probe: untimed split runs until one has every worker on time (giving up after 8 runs, or, where the workers sat
/// out one-thread runs, after 8 runs and 5 ms, whichever is later; they wake workers that slept through one-thread runs,
/// whose wake-up would otherwise count against the timed splits), then a block of timed split runs (16 and at least 1 ms
/// or, for long runs, until two or more took 10 ms), one untimed one-thread run, and as many timed one-thread runs. The
/// faster way in total time is kept for the rest of the period (a one-thread run counting at most four times the median of
/// its probe's), so a split that a busy machine or a short run makes slower falls back to one thread, and comes back when
/// it pays again. A split verdict is watched: one run in 64 is timed, and when those runs (standing for 64 each) and the
/// waits for late workers in all runs took longer than as many of the probe's one-thread runs, a new probe starts at once.
/// </summary>
/// <remarks>
/// <para>Blocks, not alternating runs: a one-thread run right after a split finds the layers the workers computed in their
/// caches, not in the caller's, and ran about 4 % slower than in a row (N=4 w=256 at batch 1), enough to tip a close call
/// towards the split; the untimed one-thread run warms the caller's cache first.</para>
/// <para>A period ends after 4096 runs or a quarter of a second, whichever comes first, but lasts at least long enough for
/// its probe to take a fiftieth of the time and of the runs, so long runs (a 10 ms tick) are not timed half the time, a
/// quarter of it on one thread, and short ones (a 4 µs tick, whose probe of 2 ms is 500 runs) are not on one thread for an
/// eighth of the runs (<c>piperl bench pipeline</c>, N=4 w=256 at batch 1: 88-92 % of the ticks split before, 99 % after).
/// Both floors hold together: on a machine with more busy threads than cores the probe's split runs stall, and a period
/// that ended on its run count gave them a tenth or more of the time.
/// The first period is never stretched: its probe runs while the code is still being compiled. A verdict for one thread
/// that overturns a split holds for eight times its probe's runs only, and then a probe confirms it (or not), so that one
/// probe tipped by a burst of a shared host (the paper's <c>pipelined</c> actor ticking in 157 µs on one thread instead of
/// 92 µs split, for most of a <c>piperl bench pipeline</c> row) costs a few probes' time, not a period. From the third
/// one-thread verdict in a row, each period is twice as long as the one before, up to sixteen times, so where one thread
/// keeps winning the probes' split runs become rarer; the first split verdict ends the doubling.</para>
/// <para>After one-thread runs the wake-up waits 5 ms, not only 8 runs, for a worker that has gone to sleep is slow to come
/// back: on the 2-vCPU Zen 5 host a worker blocked for 5 ms was on time again after a median 0.25 ms, a tenth of the times
/// after 2 ms or more, up to 5 ms, and eight runs of a 5 µs tick (40 µs) left the timed splits to run without it, at one
/// thread's speed or a little worse; the probe then kept one thread and the worker slept again until the next probe. The
/// first verdict of a fresh executor (N=4 w=256 b=1) after 5 ms idle went to one thread in 59 of 600 trials with 8 runs,
/// in 33 of 600 with this wake-up (six alternating rounds; the rest: workers descheduled in the timed splits). After split
/// runs a late worker is descheduled, not asleep, and waiting for it only hid that from the timed splits: beside a busy
/// process, a 5 ms wake-up after every verdict let a split win probes that the next time slice then stalled (one long row
/// at 0.79×).</para>
/// <para><c>var split = probe.Next(out var timed);</c> then run that way and, when <c>timed</c>, pass the elapsed
/// <see cref="Stopwatch"/> ticks to <see cref="Record"/>. Nothing allocates.</para>
/// <para>Internal, and compiled into the envs assembly too (for its vector envs' worker group), from this one file.</para>
/// </remarks>
internal sealed class SplitProbe
{
    /// <summary>The untimed split runs that start a probe wait for late workers for at least this many runs (and, after one-thread runs, the wake time).</summary>
    private const int MinWakeRuns = 8;

    /// <summary>The most timed split runs of a probe of short runs that has not yet taken its minimum time.</summary>
    private const int MaxShortRuns = 1024;

    /// <summary>After a verdict to split, every this many runs one is timed, to notice a split that has become slow.</summary>
    private const int WatchEvery = 64;

    /// <summary>The timed runs whose total is compared with as many of the probe's one-thread runs.</summary>
    private const int WatchSamples = 8;

    /// <summary>A verdict for one thread that overturns a split holds for this many times its probe's runs, then a probe confirms it or not.</summary>
    private const int ConfirmAfter = 8;

    /// <summary>The most times a period doubles while probes keep choosing one thread (16 periods).</summary>
    private const int MaxDoublings = 4;

    /// <summary>A timed one-thread run counts at most this many times the median of its probe's (its caller was descheduled).</summary>
    private const int OneRunCap = 4;

    private readonly int _probeRuns;
    private readonly int _period;
    private readonly long _periodTicks;
    private readonly long _probeBudgetTicks;
    private readonly long _probeMinimumTicks;
    private readonly double _margin;
    private readonly double _restPerProbeTick;
    private readonly long _wakeTicks;
    private readonly long[] _oneRuns = new long[MaxShortRuns];
    private int _runInPeriod;
    private Phase _phase = Phase.Waking;
    private int _timedSplits;
    private int _timedOnes;
    private long _splitTicks;
    private long _oneTicks;
    private long _periodEnd;
    private int _periodRuns;
    private int _floorRuns;
    private long _floorEnd;
    private bool _nextSplits;
    private bool _nextTimed;
    private bool _checkedOnce;
    private int _wakeRuns;
    private long _wakeStart;
    private int _decidedAt;
    private int _watched;
    private long _watchTicks;
    private long _lateTicks;
    private int _oneVerdicts;

    private enum Phase
    {
        /// <summary>Untimed splits until the workers are on time.</summary>
        Waking,

        /// <summary>The timed split runs.</summary>
        Splits,

        /// <summary>The untimed one-thread run that warms the caller's cache.</summary>
        WarmOne,

        /// <summary>As many timed one-thread runs as split ones.</summary>
        Ones,

        /// <summary>The verdict's runs until the period ends.</summary>
        Decided,
    }

    /// <summary>
    /// Creates a probe that times at least <paramref name="probeRuns"/> runs of each way (fewer once two split runs or more
    /// took half of <paramref name="probeSeconds"/>; more while the split runs have not taken half of
    /// <paramref name="probeMinimumSeconds"/>, up to 1024) at the start of every period of <paramref name="period"/> runs or
    /// <paramref name="periodSeconds"/> seconds (whichever ends first) and keeps the split when its runs took less than
    /// <paramref name="margin"/> times one thread's in all (its untimed wake-up runs wait at least
    /// <paramref name="wakeSeconds"/> for workers that sat out one-thread runs). Totals, not medians: a busy machine that
    /// stalls one split run in four (a worker descheduled while the caller waits for it) must count against the split. From
    /// the second period on, a period's time is at least what makes its probe <paramref name="probeShare"/> of it (1: no
    /// such floor). The minimum is for short runs: sixteen runs of a 10 µs tick are a sixth of a millisecond, which one
    /// interrupt or a neighbour's burst on a shared host can tip.
    /// </summary>
    public SplitProbe(int probeRuns = 16, int period = 4096, double periodSeconds = 0.25, double margin = 0.95, double probeShare = 0.02, double probeSeconds = 0.02, double probeMinimumSeconds = 0.002, double wakeSeconds = 0.005)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probeRuns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, (2 * probeRuns) + 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(probeShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probeShare, 1);
        _probeRuns = probeRuns;
        _period = period;
        _periodTicks = Ticks(periodSeconds);
        _probeBudgetTicks = Ticks(probeSeconds);
        _probeMinimumTicks = Ticks(probeMinimumSeconds);
        _margin = margin;
        _restPerProbeTick = (1 / probeShare) - 1;
        _wakeTicks = Ticks(wakeSeconds);
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
        if (_phase == Phase.Decided && PeriodOver())
        {
            StartPeriod();
        }

        if (_phase == Phase.Waking && _wakeRuns == 0)
        {
            _wakeStart = Stopwatch.GetTimestamp();
        }

        _nextTimed = timed = _phase is Phase.Splits or Phase.Ones
            || (_phase == Phase.Decided && Splits && (_runInPeriod + 1 - _decidedAt) % WatchEvery == 0);
        _nextSplits = _phase switch
        {
            Phase.Waking or Phase.Splits => true,
            Phase.WarmOne or Phase.Ones => false,
            _ => Splits,
        };
        return _nextSplits;
    }

    /// <summary>
    /// Records the <see cref="Stopwatch"/> ticks of the run <see cref="Next"/> announced (timed or not), and moves on;
    /// <paramref name="workersOnTime"/> false says that a split run's workers were late to start (another thread ran their
    /// share), <paramref name="lateTicks"/> how long the caller waited for workers that finished late (timed or not: the
    /// watch of a split verdict counts every such wait, not only those of its timed runs).
    /// </summary>
    public void Record(long elapsed, bool workersOnTime = true, long lateTicks = 0)
    {
        _lateTicks += _phase == Phase.Decided && _nextSplits ? lateTicks : 0;
        _runInPeriod++;
        Runs++;
        SplitRuns += _nextSplits ? 1 : 0;
        switch (_phase)
        {
            case Phase.Waking:
                // Workers that sat out one-thread runs (or have not run yet) are asleep and slow to come back; a worker late
                // after split runs is descheduled, which waiting for it would hide from the timed splits.
                var asleep = !_checkedOnce || !Splits;
                _phase = workersOnTime || (++_wakeRuns >= MinWakeRuns && (!asleep || Stopwatch.GetTimestamp() - _wakeStart >= _wakeTicks))
                    ? Phase.Splits : Phase.Waking;
                break;
            case Phase.Splits:
                _splitTicks += elapsed;
                var runs = ++_timedSplits;
                var enough = (runs >= 2 && 2 * _splitTicks >= _probeBudgetTicks)
                    || (runs >= _probeRuns && 2 * _splitTicks >= _probeMinimumTicks)
                    || runs >= MaxShortRuns;
                _phase = enough ? Phase.WarmOne : Phase.Splits;
                break;
            case Phase.WarmOne:
                _phase = Phase.Ones;
                break;
            case Phase.Ones:
                _oneRuns[_timedOnes] = elapsed;
                if (++_timedOnes == _timedSplits)
                {
                    Decide();
                }

                break;
            case Phase.Decided when _nextTimed:
                Watch(elapsed);
                break;
        }
    }

    /// <summary>
    /// Keeps a timed run of a split verdict; when the last <see cref="WatchSamples"/>, each standing for
    /// <see cref="WatchEvery"/> runs, and the late workers' waits of all those runs took longer than as many of the probe's
    /// one-thread runs, the next run starts a new probe instead of waiting for the period's end (a slow spell of a shared
    /// host can start after the probe, and a period of short runs lasts 49 times its probe). Totals, as in the probe: on a
    /// machine with more busy threads than cores most split runs stay fast and one in many stalls for a time slice while
    /// its worker is descheduled, which a median would not see, nor the timed runs alone.
    /// </summary>
    private void Watch(long elapsed)
    {
        _watchTicks += elapsed;
        if (++_watched < WatchSamples)
        {
            return;
        }

        // Each timed run stands for WatchEvery runs; the late waits were counted in every run.
        var slower = ((_watchTicks * WatchEvery) + _lateTicks) * _timedOnes > _oneTicks * WatchSamples * WatchEvery;
        (_watched, _watchTicks, _lateTicks) = (0, 0, 0);
        if (slower)
        {
            StartPeriod();
        }
    }

    private void StartPeriod() =>
        (_phase, _runInPeriod, _timedSplits, _timedOnes, _splitTicks, _oneTicks, _wakeRuns, _watched, _watchTicks, _lateTicks) = (Phase.Waking, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>
    /// Whether the period has had its runs or its time and, from the second period on, both of its probe's floors: a probe
    /// whose split runs a busy machine stalls (a worker descheduled mid-tick) takes far longer than its run count says, and
    /// a period that ended on its runs alone would give it a third of the time instead of a fiftieth.
    /// </summary>
    private bool PeriodOver()
    {
        if (_runInPeriod < _floorRuns)
        {
            return false;
        }

        var now = Stopwatch.GetTimestamp();
        return now >= _floorEnd && (_runInPeriod >= _periodRuns || now >= _periodEnd);
    }

    private void Decide()
    {
        var now = Stopwatch.GetTimestamp();
        _oneTicks = CappedOneTicks();
        var splits = _splitTicks < _margin * _oneTicks;
        _oneVerdicts = splits ? 0 : _oneVerdicts + 1;
        if (_checkedOnce && Splits && !splits)
        {
            // A split overturned holds off for a few probes' runs only, then the next probe confirms or reverts it: a probe
            // that a burst on a shared host tipped (its split runs slowed for 2 ms) no longer sets the way for a whole period.
            // (A split that wins after one thread did needs no such check: the watch notices when it turns slower.)
            (_periodRuns, _periodEnd, _floorRuns, _floorEnd) = (_runInPeriod * ConfirmAfter, long.MaxValue, 0, 0);
        }
        else
        {
            // The third one-thread verdict in a row doubles the period, and so on up to MaxDoublings: where one thread keeps
            // winning (a MinAtar vector env, whose split steps ran 0.97 times as fast; a machine with a busy process beside),
            // each probe costs its split runs and then the caches those runs moved to the worker, a few per cent of a period.
            var stretch = 1L << Math.Clamp(_oneVerdicts - 2, 0, MaxDoublings);
            _periodRuns = (int)Math.Min(int.MaxValue, _period * stretch);
            _periodEnd = now + (Math.Min(long.MaxValue / 4 / stretch, _periodTicks) * stretch);
            if (_checkedOnce)
            {
                var probe = _splitTicks + _oneTicks;
                _floorEnd = now + (long)Math.Min(long.MaxValue / 4, probe * _restPerProbeTick * stretch);
                _floorRuns = (int)Math.Min(int.MaxValue, _runInPeriod * (1 + _restPerProbeTick) * stretch);
            }
        }

        Splits = splits;
        _phase = Phase.Decided;
        _decidedAt = _runInPeriod;
        _checkedOnce = true;
    }

    /// <summary>
    /// The total of the probe's timed one-thread runs, each counted at most <see cref="OneRunCap"/> times their median.
    /// Beside a busy process the caller itself is descheduled now and then, for a time slice of milliseconds: that stalls a
    /// split run as much as a one-thread run, so it is no reason to split, but one such stall among sixteen runs of a 320 µs
    /// tick doubled their total and made a split that ran 0.8 times as fast look faster, in the probe and then in the watch
    /// that compares with it. Split runs count in full: a worker's descheduling is the split's own cost.
    /// </summary>
    private long CappedOneTicks()
    {
        var runs = _oneRuns.AsSpan(0, _timedOnes);
        runs.Sort();
        var cap = runs[runs.Length / 2] * OneRunCap;
        long total = 0;
        foreach (var run in runs)
        {
            total += Math.Min(run, cap);
        }

        return total;
    }

    private static long Ticks(double seconds) => (long)Math.Min(long.MaxValue / 4, seconds * Stopwatch.Frequency);
}
