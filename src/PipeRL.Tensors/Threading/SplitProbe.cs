using System.Diagnostics;

namespace PipeRL.Tensors;

/// <summary>
/// Chooses, by timing, whether work that can run split over threads is faster split or on one thread: the first runs of
/// every period (4096 runs or a quarter of a second, whichever ends first) alternate the two ways (split first), and the
/// faster way in total time is kept until the next period, so a split
/// that a busy machine or a short run makes slower falls back to one thread, and comes back when it pays again.
/// </summary>
/// <remarks>
/// <c>var split = probe.Next(out var timed);</c> then run that way and, when <c>timed</c>, pass the elapsed
/// <see cref="System.Diagnostics.Stopwatch"/> ticks to <see cref="Record"/>. Nothing allocates.
/// </remarks>
public sealed class SplitProbe
{
    private readonly long[] _split;
    private readonly long[] _one;
    private readonly int _period;
    private readonly long _periodTicks;
    private readonly double _margin;
    private int _phase;
    private long _periodEnd;

    /// <summary>
    /// Creates a probe that times <paramref name="probeRuns"/> runs of each way at the start of every period of
    /// <paramref name="period"/> runs or <paramref name="periodSeconds"/> seconds (whichever ends first) and keeps the split
    /// when its runs took less than <paramref name="margin"/> times one thread's in all. Totals, not medians: a busy machine
    /// that stalls one split run in four (a worker descheduled while the caller waits for it) must count against the split.
    /// </summary>
    public SplitProbe(int probeRuns = 16, int period = 4096, double periodSeconds = 0.25, double margin = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probeRuns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2 * probeRuns);
        _split = new long[probeRuns];
        _one = new long[probeRuns];
        _period = period;
        _periodTicks = (long)Math.Min(long.MaxValue / 2, periodSeconds * Stopwatch.Frequency);
        _margin = margin;
    }

    /// <summary>Whether runs outside the probes split (the last probe's verdict; true before the first).</summary>
    public bool Splits { get; private set; } = true;

    /// <summary>Whether the next run splits; <paramref name="timed"/> says that its time must be passed to <see cref="Record"/>.</summary>
    public bool Next(out bool timed)
    {
        if (_phase >= 2 * _split.Length && Stopwatch.GetTimestamp() >= _periodEnd)
        {
            _phase = 0;
        }

        timed = _phase < 2 * _split.Length;
        return timed ? (_phase & 1) == 0 : Splits;
    }

    /// <summary>Records the <see cref="Stopwatch"/> ticks of the run <see cref="Next"/> announced (timed or not), and moves on.</summary>
    public void Record(long elapsed)
    {
        var phase = _phase;
        _phase = phase + 1 == _period ? 0 : phase + 1;
        if (phase >= 2 * _split.Length)
        {
            return;
        }

        ((phase & 1) == 0 ? _split : _one)[phase >> 1] = elapsed;
        if (phase == (2 * _split.Length) - 1)
        {
            _periodEnd = Stopwatch.GetTimestamp() + _periodTicks;
            Splits = Sum(_split) < _margin * Sum(_one);
        }
    }

    private static double Sum(long[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }
}
