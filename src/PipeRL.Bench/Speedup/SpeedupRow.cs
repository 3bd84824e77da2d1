namespace PipeRL.Bench.Speedup;

/// <summary>
/// One implementation at one depth: tight-loop tick times (seconds) and the paced tick's median (NaN when not measured or
/// skipped), with the speed-ups against the sequential forward pass of the same depth.
/// </summary>
/// <param name="Depth">Dense layers, the head included.</param>
/// <param name="Implementation">"sequential" (the forward pass, one layer after another) or a tick implementation's name.</param>
/// <param name="Median">Median seconds per tick in a tight loop.</param>
/// <param name="Min">Fastest repetition's seconds per tick.</param>
/// <param name="P90">90th percentile of the repetitions.</param>
/// <param name="PacedMedian">Median seconds of one tick when ticks come one per paced interval.</param>
/// <param name="SequentialMedian">The sequential forward pass's median at this depth.</param>
/// <param name="SequentialPacedMedian">The sequential forward pass's paced median at this depth.</param>
/// <param name="RoundTripBefore">The cross-core round trip (seconds) just before this depth's tight loop (<see cref="Harness.CoreRoundTrip"/>; null where not measured).</param>
/// <param name="RoundTripAfter">The cross-core round trip just after it.</param>
public sealed record SpeedupRow(
    int Depth,
    string Implementation,
    double Median,
    double Min,
    double P90,
    double PacedMedian,
    double SequentialMedian,
    double SequentialPacedMedian,
    double? RoundTripBefore = null,
    double? RoundTripAfter = null)
{
    /// <summary>Speed-up in percent, (t_seq / t - 1) x 100, in a tight loop.</summary>
    public double SpeedupPercent => ((SequentialMedian / Median) - 1) * 100;

    /// <summary>Speed-up in percent with paced ticks.</summary>
    public double PacedSpeedupPercent => ((SequentialPacedMedian / PacedMedian) - 1) * 100;

    /// <summary>Actions per second in a tight loop (one action per tick).</summary>
    public double ActionsPerSecond => 1 / Median;
}
