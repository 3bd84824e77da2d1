using System.Diagnostics;
using System.Globalization;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Training;

/// <summary>
/// The live console line of a training run: ticks, env steps, SPS, ETA, recent mean return and the actor's delay,
/// printed at most every <see cref="Interval"/> (and once at the end). The ETA follows the rate of the last
/// <see cref="RateLines"/> lines, not the whole run's, so a fast start (SAC's uniformly random warm-up, a resumed run's
/// earlier sessions) does not promise a finish that the learning ticks cannot keep.
/// </summary>
public sealed class ProgressPrinter
{
    private readonly TextWriter _output;
    private readonly long _totalTicks;
    private readonly string _delay;
    private readonly Queue<double> _recent = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastPrint;
    private long _lastTicks = -1;
    private readonly Queue<(double Seconds, long Ticks)> _lines = new();

    /// <summary>Prints to <paramref name="output"/> for a run of <paramref name="totalTicks"/> ticks whose actor acts <paramref name="delayTicks"/> ticks late at τ = <paramref name="tau"/>.</summary>
    public ProgressPrinter(TextWriter output, long totalTicks, int delayTicks, Tau tau, int recentEpisodes = 20)
    {
        _output = output;
        _totalTicks = totalTicks;
        RecentEpisodes = recentEpisodes;
        _delay = "delay " + tau.DescribeTicks(delayTicks);
    }

    /// <summary>The lines (a sliding window) whose rate sets the ETA.</summary>
    public const int RateLines = 15;

    /// <summary>Episodes averaged in the recent return.</summary>
    public int RecentEpisodes { get; }

    /// <summary>The shortest time between two lines.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Training seconds before this printer was created (a resumed run's earlier sessions).</summary>
    public double StartSeconds { get; init; }

    /// <summary>Training seconds: <see cref="StartSeconds"/> plus the time since the printer was created.</summary>
    public double ElapsedSeconds => StartSeconds + _clock.Elapsed.TotalSeconds;

    /// <summary>The mean return of the recent episodes, NaN before the first.</summary>
    public double RecentReturn => _recent.Count == 0 ? double.NaN : _recent.Average();

    /// <summary>Records a finished episode's return.</summary>
    public void Episode(double episodeReturn)
    {
        _recent.Enqueue(episodeReturn);
        if (_recent.Count > RecentEpisodes)
        {
            _recent.Dequeue();
        }
    }

    /// <summary>Prints the line when <see cref="Interval"/> has passed since the last, or when <paramref name="force"/>.</summary>
    public void Report(long ticks, long envSteps, bool force = false)
    {
        var now = _clock.Elapsed;
        if (ticks == _lastTicks || (!force && _lastPrint is { } last && now - last < Interval))
        {
            return;
        }

        (_lastPrint, _lastTicks) = (now, ticks);
        _output.WriteLine(Format(ticks, envSteps, StartSeconds + now.TotalSeconds));
    }

    /// <summary>
    /// The progress line for the given counters after <paramref name="seconds"/> of training; each call is a line of the
    /// ETA's window.
    /// </summary>
    public string Format(long ticks, long envSteps, double seconds)
    {
        var c = CultureInfo.InvariantCulture;
        var sps = seconds > 0 ? envSteps / seconds : 0;
        var tickRate = seconds > 0 ? ticks / seconds : 0;
        if (_lines.Count > 0 && _lines.Peek() is var (since, from) && seconds > since && ticks > from)
        {
            tickRate = (ticks - from) / (seconds - since);
        }

        _lines.Enqueue((seconds, ticks));
        if (_lines.Count > RateLines)
        {
            _lines.Dequeue();
        }

        var eta = tickRate > 0 ? FormatDuration((_totalTicks - ticks) / tickRate) : "?";
        var recent = _recent.Count == 0 ? "return -" : string.Create(c, $"return {RecentReturn:0.00} (last {_recent.Count})");
        var percent = 100.0 * ticks / _totalTicks;
        return string.Create(c, $"[{percent,5:0.0}%] tick {ticks:N0}/{_totalTicks:N0} | env steps {envSteps:N0} | {sps:N0} SPS | ETA {eta} | {recent} | {_delay}");
    }

    /// <summary>Formats seconds as <c>1h02m</c>, <c>3m05s</c> or <c>42s</c>.</summary>
    public static string FormatDuration(double seconds)
    {
        var s = (long)Math.Round(Math.Max(0, seconds));
        return s >= 3600 ? $"{s / 3600}h{s % 3600 / 60:00}m" : s >= 60 ? $"{s / 60}m{s % 60:00}s" : $"{s}s";
    }
}
