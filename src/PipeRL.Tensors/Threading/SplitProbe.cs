namespace PipeRL.Tensors;

/// <summary>
/// Chooses, by timing, whether work that can run split over threads is faster split or on one thread: the first runs of
/// every period alternate the two ways (split first), and the faster median is kept until the next period, so a split
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
    private readonly double _margin;
    private int _phase;

    /// <summary>
    /// Creates a probe that times <paramref name="probeRuns"/> runs of each way at the start of every
    /// <paramref name="period"/> runs and keeps the split when its median is below <paramref name="margin"/> times one thread's.
    /// </summary>
    public SplitProbe(int probeRuns = 8, int period = 4096, double margin = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probeRuns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2 * probeRuns);
        _split = new long[probeRuns];
        _one = new long[probeRuns];
        _period = period;
        _margin = margin;
    }

    /// <summary>Whether runs outside the probes split (the last probe's verdict; true before the first).</summary>
    public bool Splits { get; private set; } = true;

    /// <summary>Whether the next run splits; <paramref name="timed"/> says that its time must be passed to <see cref="Record"/>.</summary>
    public bool Next(out bool timed)
    {
        timed = _phase < 2 * _split.Length;
        return timed ? (_phase & 1) == 0 : Splits;
    }

    /// <summary>Records the <see cref="System.Diagnostics.Stopwatch"/> ticks of the run <see cref="Next"/> announced (timed or not), and moves on.</summary>
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
            Array.Sort(_split);
            Array.Sort(_one);
            Splits = _split[_split.Length / 2] < _margin * _one[_one.Length / 2];
        }
    }
}
