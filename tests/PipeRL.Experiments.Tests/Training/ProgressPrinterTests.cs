using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Tests.Training;

public sealed class ProgressPrinterTests
{
    [Fact]
    public void LineShowsProgressRateEtaReturnAndDelay()
    {
        var p = new ProgressPrinter(TextWriter.Null, 10_000, delayTicks: 1, tau: Tau.Steps(2));
        p.Episode(10);
        p.Episode(20);
        var line = p.Format(2_500, 5_000, 10);
        Assert.Equal("[ 25.0%] tick 2,500/10,000 | env steps 5,000 | 500 SPS | ETA 30s | return 15.00 (last 2) | delay 1 tick = 2 env steps", line);
    }

    [Fact]
    public void TheEtaFollowsTheRateOfTheRecentLinesNotAFastStart()
    {
        // 10,000 warm-up ticks in 2 s, then 100 ticks per second: the ETA of the remaining 89,000 ticks is 890 s, not
        // the 89,000 / (11,000 / 12 s) = 97 s of the whole run's rate.
        var p = new ProgressPrinter(TextWriter.Null, 100_000, 0, Tau.One);
        p.Format(10_000, 10_000, 2);
        Assert.Contains("| ETA 14m50s |", p.Format(11_000, 11_000, 12), StringComparison.Ordinal);

        // The window slides: once its oldest line is a learning one, the warm-up no longer counts at all.
        for (var line = 1; line <= ProgressPrinter.RateLines; line++)
        {
            p.Format(11_000 + (line * 100), 0, 12 + line);
        }

        Assert.Contains("| ETA 14m34s |", p.Format(12_600, 0, 28), StringComparison.Ordinal);
    }

    [Fact]
    public void RecentReturnKeepsOnlyTheLastEpisodes()
    {
        var p = new ProgressPrinter(TextWriter.Null, 100, 0, Tau.One, recentEpisodes: 2);
        p.Episode(1);
        p.Episode(2);
        p.Episode(6);
        Assert.Equal(4.0, p.RecentReturn);
        Assert.Contains("delay 0 ticks = 0 env steps", p.Format(1, 1, 1), StringComparison.Ordinal);
    }

    [Fact]
    public void DelayAtAFractionalTauIsAFractionOfAnEnvStep()
    {
        var p = new ProgressPrinter(TextWriter.Null, 100, delayTicks: 2, Tau.Fraction(4));
        Assert.EndsWith("| delay 2 ticks = 0.5 env steps", p.Format(8, 2, 1), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(42.4, "42s")]
    [InlineData(185, "3m05s")]
    [InlineData(3720, "1h02m")]
    public void DurationsAreCompact(double seconds, string expected) => Assert.Equal(expected, ProgressPrinter.FormatDuration(seconds));
}
