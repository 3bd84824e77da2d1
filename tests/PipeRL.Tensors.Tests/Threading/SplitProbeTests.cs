namespace PipeRL.Tensors.Tests.Threading;

public sealed class SplitProbeTests
{
    /// <summary>Runs <paramref name="runs"/> runs through the probe, a split run taking <paramref name="split"/> ticks and a one-thread run <paramref name="one"/>.</summary>
    private static int Drive(SplitProbe probe, int runs, long split, long one)
    {
        var splitRuns = 0;
        for (var r = 0; r < runs; r++)
        {
            var splits = probe.Next(out var timed);
            splitRuns += splits ? 1 : 0;
            probe.Record(timed ? (splits ? split : one) : 0);
        }

        return splitRuns;
    }

    [Fact]
    public void TheProbeAlternatesStartingWithTheSplitAndKeepsTheFasterWay()
    {
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6);
        Assert.True(probe.Next(out var timed));
        Assert.True(timed);
        probe.Record(50);
        Assert.False(probe.Next(out timed));
        Assert.True(timed);
        probe.Record(100);

        // Six more probe runs, then 92 runs of the verdict: the split is twice as fast.
        Assert.Equal(3 + 92, Drive(probe, 98, split: 50, one: 100));
        Assert.True(probe.Splits);
    }

    [Fact]
    public void ASplitNoFasterThanTheMarginFallsBackAndTheNextPeriodCanBringItBack()
    {
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6);

        Assert.Equal(4, Drive(probe, 100, split: 97, one: 100));
        Assert.False(probe.Splits);
        Assert.Equal(4 + 92, Drive(probe, 100, split: 10, one: 100));
        Assert.True(probe.Splits);
    }

    [Fact]
    public void APeriodAlsoEndsAfterItsTime()
    {
        var probe = new SplitProbe(probeRuns: 2, period: 1000, periodSeconds: 0);

        // Zero seconds: every run after a verdict starts the next probe, so the split keeps being timed.
        Assert.Equal(2, Drive(probe, 4, split: 10, one: 100));
        Assert.True(probe.Next(out var timed));
        Assert.True(timed);
    }

    [Fact]
    public void OneStalledSplitRunInFourCountsAgainstTheSplit()
    {
        // Three split runs of 40 and one of 400 beat four one-thread runs of 100 by their median, not in total.
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6);
        for (var r = 0; r < 8; r++)
        {
            var splits = probe.Next(out _);
            probe.Record(splits ? (r == 0 ? 400 : 40) : 100);
        }

        Assert.False(probe.Splits);
    }
}
