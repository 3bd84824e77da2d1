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

    /// <summary>A probe whose first period (1 + 4 splits of 50, 1 + 4 one-thread runs of 100) has decided to split.</summary>
    private static SplitProbe AfterASplitVerdict()
    {
        var probe = new SplitProbe(probeRuns: 4, period: 100_000, periodSeconds: 1e6, probeMinimumSeconds: 0);
        Drive(probe, 10, split: 50, one: 100);
        Assert.True(probe.Splits);
        return probe;
    }

    [Fact]
    public void TheProbeWakesTheWorkersUntimedThenTimesABlockOfSplitsAndAsManyOneThreadRunsAfterAnUntimedOne()
    {
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6, probeMinimumSeconds: 0);
        (bool Splits, bool Timed)[] expected = [(true, false), (true, true), (true, true), (true, true), (true, true), (false, false), (false, true), (false, true), (false, true), (false, true)];
        foreach (var (splits, timed) in expected)
        {
            Assert.Equal(splits, probe.Next(out var isTimed));
            Assert.Equal(timed, isTimed);
            probe.Record(splits ? 50 : 100);
        }

        // Then 90 runs of the verdict: the split is twice as fast.
        Assert.True(probe.Splits);
        Assert.Equal(90, Drive(probe, 90, split: 50, one: 100));
    }

    [Fact]
    public void ASplitNoFasterThanTheMarginFallsBackAndTheNextPeriodCanBringItBack()
    {
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6, probeMinimumSeconds: 0);

        Assert.Equal(1 + 4, Drive(probe, 100, split: 97, one: 100));
        Assert.False(probe.Splits);
        Assert.Equal(1 + 4 + 90, Drive(probe, 100, split: 10, one: 100));
        Assert.True(probe.Splits);
    }

    [Fact]
    public void AVerdictForOneThreadThatOverturnsASplitIsCheckedAgainAfterEightTimesItsProbesRuns()
    {
        // Period 1: split (50 against 100). Period 2's probe (10 runs) finds one thread faster, which holds for 80 runs in
        // all, not the period's 100: run 81 is the next probe's untimed wake-up split, then its timed splits. That probe
        // confirms one thread, which then holds for its whole period (500 runs, fifty times its probe's).
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6, probeMinimumSeconds: 0);
        Assert.Equal(1 + 4 + 90, Drive(probe, 100, split: 50, one: 100));
        Assert.Equal(1 + 4, Drive(probe, 80, split: 100, one: 50));
        Assert.False(probe.Splits);
        Assert.True(probe.Next(out var waking));
        Assert.False(waking);
        probe.Record(0);
        Assert.True(probe.Next(out var timed));
        Assert.True(timed);
        probe.Record(100);
        Assert.Equal(3, Drive(probe, 3 + 1 + 4 + 400, split: 100, one: 50));
    }

    [Fact]
    public void APeriodAlsoEndsAfterItsTime()
    {
        var probe = new SplitProbe(probeRuns: 2, period: 1000, periodSeconds: 0, probeShare: 1, probeMinimumSeconds: 0);

        // Zero seconds: every run after a verdict starts the next probe with its untimed split, so the split keeps being
        // timed although one thread won.
        Assert.Equal(1 + 2, Drive(probe, 6, split: 100, one: 10));
        Assert.False(probe.Splits);
        Assert.True(probe.Next(out var timed));
        Assert.False(timed);
    }

    [Fact]
    public void OneStalledSplitRunInFourCountsAgainstTheSplit()
    {
        // Three split runs of 40 and one of 400 beat four one-thread runs of 100 by their median, not in total.
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6, probeMinimumSeconds: 0);
        var splitRuns = 0;
        for (var r = 0; r < 10; r++)
        {
            var splits = probe.Next(out var timed);
            splitRuns += splits && timed ? 1 : 0;
            probe.Record(!timed ? 0 : splits ? (splitRuns == 1 ? 400 : 40) : 100);
        }

        Assert.False(probe.Splits);
    }

    /// <summary>
    /// Runs one probe from its start: the untimed wake-up split, the timed <paramref name="splits"/>, the untimed one-thread
    /// run and the timed <paramref name="ones"/> (as many); returns the verdict.
    /// </summary>
    private static bool Probe(SplitProbe probe, long[] splits, long[] ones)
    {
        Assert.True(probe.Next(out var timed));
        Assert.False(timed);
        probe.Record(0);
        foreach (var (way, runs) in new[] { (true, splits), (false, new long[] { 0 }), (false, ones) })
        {
            foreach (var run in runs)
            {
                Assert.Equal(way, probe.Next(out _));
                probe.Record(run);
            }
        }

        return probe.Splits;
    }

    [Theory]
    [InlineData(2000, 160, true)]
    [InlineData(2000, 170, false)]
    [InlineData(390, 160, true)]
    [InlineData(390, 170, false)]
    public void AOneThreadRunPastFourTimesTheMedianCountsAsFourMedians(long lastOne, long split, bool splits)
    {
        // One-thread runs of 100, 100, 100 and a last one. A last run of 2,000 (the caller descheduled) counts as 400, so
        // four split runs must beat 0.95 x 700 = 665 in all: 640 does, 680 does not (against the full 2,300 it would). One of
        // 390 counts in full: 0.95 x 690 = 655.5.
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6, probeMinimumSeconds: 0);
        Assert.Equal(splits, Probe(probe, [split, split, split, split], [100, 100, 100, lastOne]));
    }

    [Fact]
    public void TheWatchComparesWithTheCappedOneThreadRuns()
    {
        // The probe's one-thread runs 100, 100, 100 and a stalled 2,000 count as 700, 175 a run: watched split runs of 200
        // are slower, so the next run starts a new probe (against the uncapped 575 a run, they would pass).
        var probe = new SplitProbe(probeRuns: 4, period: 100_000, periodSeconds: 1e6, probeMinimumSeconds: 0);
        Assert.True(Probe(probe, [50, 50, 50, 50], [100, 100, 100, 2000]));
        for (var r = 1; r <= 512; r++)
        {
            Assert.True(probe.Next(out var timed));
            probe.Record(timed ? 200 : 0);
        }

        Assert.True(probe.Next(out var waking));
        Assert.False(waking);
        probe.Record(0);
        Assert.True(probe.Next(out var probing));
        Assert.True(probing);
    }

    [Fact]
    public void PeriodsDoubleWhileProbesKeepChoosingOneThreadUpToSixteenTimes()
    {
        // Periods of 100 runs, one thread ten times as fast. The first two verdicts hold for 100 runs each, then each
        // period doubles up to 1,600 runs; a probe that finds the split faster again ends the doubling.
        var probe = new SplitProbe(probeRuns: 2, period: 100, periodSeconds: 1e6, probeShare: 1, probeMinimumSeconds: 0);
        var starts = new List<int>();
        for (var r = 0; r < 6400; r++)
        {
            var splits = probe.Next(out var timed);
            if (splits && !timed)
            {
                starts.Add(r);
            }

            probe.Record(timed ? (splits ? 100 : 10) : 0);
        }

        Assert.Equal([0, 100, 200, 400, 800, 1600, 3200, 4800], starts);

        // The probe at run 6400 splits for its period of 100 runs; the next probe overturns that for eight times its six
        // runs, and the one after confirms one thread for a period of 100 runs again, not 1,600.
        Assert.True(Probe(probe, [10, 10], [100, 100]));
        Assert.Equal(100 - 6, Drive(probe, 100 - 6, split: 10, one: 100));
        Assert.False(Probe(probe, [100, 100], [10, 10]));
        Assert.Equal(0, Drive(probe, (8 * 6) - 6, split: 100, one: 10));
        Assert.False(Probe(probe, [100, 100], [10, 10]));
        Assert.Equal(0, Drive(probe, 100 - 6, split: 100, one: 10));
        Assert.True(probe.Next(out var waking));
        Assert.False(waking);
    }

    [Fact]
    public void LongProbeRunsStretchThePeriodSoThatProbingStaysASmallShareOfTheTime()
    {
        // Timed probe runs of about an hour each. The first verdict holds for the period's zero seconds (its probe ran while
        // the code was being compiled), so a second probe follows at once; that one makes the period 49 times its own time,
        // so the run after its verdict (one thread) is neither timed nor the next probe's untimed split.
        var hour = 3600 * System.Diagnostics.Stopwatch.Frequency;
        var probe = new SplitProbe(probeRuns: 2, period: 1000, periodSeconds: 0);
        Assert.Equal(2 * (1 + 2), Drive(probe, 12, split: hour, one: hour / 2));
        Assert.False(probe.Next(out var timed));
        Assert.False(timed);
    }

    [Fact]
    public void AProbeWhoseSplitRunsStallStretchesThePeriodPastItsRunCount()
    {
        // Split runs of an hour (workers descheduled on a busy machine) in a period of 100 runs: after the second probe
        // (1 + 2 splits, 1 + 2 one-thread runs) neither the 100 runs nor the 300 that make its runs a fiftieth end the
        // period, because its time has not come: all of the next 10,000 runs are one-thread and untimed.
        var hour = 3600 * System.Diagnostics.Stopwatch.Frequency;
        var probe = new SplitProbe(probeRuns: 2, period: 100, periodSeconds: 0, probeMinimumSeconds: 0);
        Assert.Equal(2 * (1 + 2), Drive(probe, 12, split: hour, one: 10));
        Assert.False(probe.Splits);
        for (var r = 0; r < 10_000; r++)
        {
            Assert.False(probe.Next(out var timed));
            Assert.False(timed);
            probe.Record(0);
        }
    }

    [Fact]
    public void AfterTheFirstPeriodTheProbeIsAFiftiethOfThePeriodsRuns()
    {
        // Runs of a stopwatch tick or none: the first period is its 100 runs; the second probe (1 + 4 splits, 1 + 4
        // one-thread runs) makes its period 500 runs, one thread after the verdict, and the third probe starts with run 501
        // (once the probe's 4 ticks times 49 have passed too, which the millisecond's sleep makes sure of).
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6, probeMinimumSeconds: 0);
        Assert.Equal(1 + 4, Drive(probe, 100, split: 1, one: 0));
        Assert.Equal(1 + 4, Drive(probe, 500, split: 1, one: 0));
        Thread.Sleep(1);
        Assert.True(probe.Next(out var timed));
        Assert.False(timed);
    }

    /// <summary>
    /// After a split verdict (50 against 100), runs 512 runs whose every 64th is timed, the k-th of those taking
    /// <paramref name="watched"/>(k) ticks, run r's caller waiting <paramref name="late"/>(r) ticks for late workers; returns
    /// whether the next run is a new probe's: its untimed wake-up split, then its timed splits.
    /// </summary>
    private static bool WatchStartsANewProbe(Func<int, long> watched, Func<int, long>? late = null)
    {
        var probe = AfterASplitVerdict();
        var timedRuns = 0;
        for (var r = 1; r <= 512; r++)
        {
            Assert.True(probe.Next(out var timed));
            Assert.Equal(r % 64 == 0, timed);
            timedRuns += timed ? 1 : 0;
            probe.Record(timed ? watched(timedRuns) : 0, lateTicks: late?.Invoke(r) ?? 0);
        }

        Assert.Equal(8, timedRuns);
        Assert.True(probe.Next(out var waking));
        Assert.False(waking);
        probe.Record(0);
        return probe.Next(out var probing) && probing;
    }

    [Fact]
    public void ASplitThatTurnsSlowerThanTheProbesOneThreadRunsStartsTheNextProbeEarly() =>
        Assert.True(WatchStartsANewProbe(_ => 150));

    [Fact]
    public void OneWatchedSplitRunInEightThatStallsCountsAgainstTheSplit() =>
        // Seven watched runs of 50 and one of 500 (a worker descheduled mid-tick): their median beats the one-thread runs,
        // their total (850 against 800) does not.
        Assert.True(WatchStartsANewProbe(k => k == 3 ? 500 : 50));

    [Theory]
    [InlineData(30_000, true)]
    [InlineData(20_000, false)]
    public void AWorkersLateFinishInAnUntimedRunCountsInTheWatch(long lateTicks, bool newProbe) =>
        // Eight watched runs of 50 stand for 512 runs of 25,600 ticks against 51,200 on one thread: one untimed run whose
        // caller waited 30,000 ticks for its worker tips the balance, one of 20,000 does not.
        Assert.Equal(newProbe, WatchStartsANewProbe(_ => 50, r => r == 100 ? lateTicks : 0));

    [Fact]
    public void ASplitThatStaysFasterKeepsItsVerdictThroughTheWatch()
    {
        var probe = AfterASplitVerdict();

        Assert.Equal(1024, Drive(probe, 1024, split: 90, one: 100));
        Assert.True(probe.Next(out var timed));
        Assert.False(timed);
        probe.Record(0);
        Assert.True(probe.Next(out timed));
        Assert.False(timed);
    }

    [Fact]
    public void AProbeOfLongRunsEndsAfterTwoSplitRunsPastHalfItsTimeBudget()
    {
        // Runs of a second: two split runs are past half the 20 ms budget, so the probe is 1 + 2 splits, 1 + 2 one-thread
        // runs, and the eighth run is the verdict's, not a third split.
        var second = System.Diagnostics.Stopwatch.Frequency;
        var probe = new SplitProbe(probeRuns: 16, period: 4096, periodSeconds: 1e6);
        Assert.Equal(1 + 2, Drive(probe, 7, split: 2 * second, one: second));
        Assert.False(probe.Next(out var timed));
        Assert.False(timed);
    }

    [Fact]
    public void AProbeOfShortRunsGoesOnUntilItsSplitsHaveTakenHalfItsMinimumTime()
    {
        // Split runs of 5 µs: sixteen are 0.08 ms, so the probe times 200 of them (1 ms, half the 2 ms minimum), then
        // one untimed and 200 timed one-thread runs before its verdict.
        var fiveMicroseconds = System.Diagnostics.Stopwatch.Frequency / 200_000;
        var probe = new SplitProbe(probeRuns: 16, period: 100_000, periodSeconds: 1e6, probeMinimumSeconds: 0.002);
        Assert.Equal(1 + 200, Drive(probe, 1 + 200 + 1 + 200, split: fiveMicroseconds, one: fiveMicroseconds * 3));
        Assert.True(probe.Splits);
        Assert.True(probe.Next(out var timed));
        Assert.False(timed);

        // Runs that take no measurable time stop at 1024 of each way.
        var instant = new SplitProbe(probeRuns: 16, period: 100_000, periodSeconds: 1e6, probeMinimumSeconds: 0.002);
        Assert.Equal(1 + 1024, Drive(instant, 1 + 1024 + 1 + 1024, split: 0, one: 0));
        Assert.False(instant.Next(out timed));
        Assert.False(timed);
    }

    [Fact]
    public void TheProbeCountsTheRunsThatSplit()
    {
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6, probeMinimumSeconds: 0);
        Drive(probe, 100, split: 200, one: 100);
        Assert.Equal(100, probe.Runs);
        Assert.Equal(1 + 4, probe.SplitRuns);
        Drive(probe, 100, split: 10, one: 100);
        Assert.Equal(200, probe.Runs);
        Assert.Equal(1 + 4 + 1 + 4 + 90, probe.SplitRuns);
    }

    [Fact]
    public void WakeUpSplitsGoOnWhileWorkersAreLateForEightRunsAndTheWakeTime()
    {
        var probe = new SplitProbe(probeRuns: 2, period: 1000, periodSeconds: 1e6, probeMinimumSeconds: 0);
        for (var r = 0; r < 3; r++)
        {
            Assert.True(probe.Next(out var waking));
            Assert.False(waking);
            probe.Record(0, workersOnTime: false);
        }

        Assert.True(probe.Next(out var timed));
        Assert.False(timed);
        probe.Record(0, workersOnTime: true);
        Assert.True(probe.Next(out timed));
        Assert.True(timed);

        var late = new SplitProbe(probeRuns: 2, period: 1000, periodSeconds: 1e6, probeMinimumSeconds: 0, wakeSeconds: 0);
        for (var r = 0; r < 8; r++)
        {
            late.Next(out _);
            late.Record(0, workersOnTime: false);
        }

        Assert.True(late.Next(out timed));
        Assert.True(timed);

        // A sleeping worker took a median 0.25 ms and up to 5 ms to be on time on the 2-vCPU host, so eight runs of a 5 us
        // tick are not enough: late runs go on waking it until the wake time has passed too.
        var sleeper = new SplitProbe(probeRuns: 2, period: 1000, periodSeconds: 1e6, probeMinimumSeconds: 0, wakeSeconds: 0.3);
        for (var r = 0; r < 20; r++)
        {
            Assert.True(sleeper.Next(out var waking));
            Assert.False(waking);
            sleeper.Record(0, workersOnTime: false);
        }

        Thread.Sleep(350);
        sleeper.Next(out _);
        sleeper.Record(0, workersOnTime: false);
        Assert.True(sleeper.Next(out timed));
        Assert.True(timed);
    }

    [Theory]
    [InlineData(50, 8)]
    [InlineData(200, -1)]
    public void OnlyWorkersThatSatOutOneThreadRunsAreWaitedForPastEightRuns(long split, int firstTimedRun)
    {
        // After a split verdict (splits of 50 against one-thread runs of 100) a late worker is descheduled, not asleep, and
        // the next probe times its splits after eight late runs; after a one-thread verdict it waits the wake time (here
        // far longer than the test: no timed run among the first thousand).
        var probe = new SplitProbe(probeRuns: 4, period: 100, periodSeconds: 1e6, probeMinimumSeconds: 0, wakeSeconds: 1e3);
        Assert.Equal(split < 100, Probe(probe, [split, split, split, split], [100, 100, 100, 100]));
        Drive(probe, 100 - 10, split, one: 100);
        var timedRun = -1;
        for (var r = 0; r < 1000 && timedRun < 0; r++)
        {
            Assert.True(probe.Next(out var timed));
            timedRun = timed ? r : -1;
            probe.Record(0, workersOnTime: false);
        }

        Assert.Equal(firstTimedRun, timedRun);
    }
}
