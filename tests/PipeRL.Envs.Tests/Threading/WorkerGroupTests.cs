using System.Diagnostics;
using PipeRL.Envs.Threading;

namespace PipeRL.Envs.Tests.Threading;

public sealed class WorkerGroupTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 10)]
    [InlineData(3, 7)]
    [InlineData(4, 2)]
    public void EveryIndexIsProcessedExactlyOncePerRun(int threads, int count)
    {
        using var group = new WorkerGroup(threads, "test");
        var work = new CountingWork(count);
        for (var run = 0; run < 50; run++)
        {
            group.Run(work, count);
        }

        Assert.All(work.Visits, v => Assert.Equal(50, v));
    }

    [Fact]
    public void WorkersShareTheRange()
    {
        // Indices are claimed dynamically, so give each a millisecond: the worker then surely gets some.
        using var group = new WorkerGroup(2, "test");
        var work = new CountingWork(40, TimeSpan.FromMilliseconds(1));
        group.Run(work, 40);
        Assert.All(work.Visits, v => Assert.Equal(1, v));
        Assert.Contains(work.ThreadOf, id => id != Environment.CurrentManagedThreadId);
        Assert.Contains(work.ThreadOf, id => id == Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void EachThreadStepsItsOwnShareOfTheRangeRunAfterRun()
    {
        // The caller owns indices 0-1, the worker 2-3. With one shared counter the caller took 0 and then 2 while the
        // worker ran 1, so an env's state moved between cores. A worker late to a run lets the caller steal its share.
        using var group = new WorkerGroup(2, "test");
        var work = new CountingWork(4, TimeSpan.FromMilliseconds(2));
        var caller = Environment.CurrentManagedThreadId;
        const int runs = 30;
        var (firstOnCaller, workerRuns, thirdOnWorker) = (0, 0, 0);
        for (var run = 0; run < runs; run++)
        {
            group.Run(work, 4);
            firstOnCaller += work.ThreadOf[0] == caller ? 1 : 0;
            var workerRan = work.ThreadOf.Any(id => id != caller);
            workerRuns += workerRan ? 1 : 0;
            thirdOnWorker += workerRan && work.ThreadOf[2] != caller ? 1 : 0;
        }

        // Runs where the worker ran nothing: the probe's one-thread runs, or a worker that woke after the caller was done.
        Assert.All(work.Visits, v => Assert.Equal(runs, v));
        Assert.Equal(runs, firstOnCaller);
        Assert.True(workerRuns > 0, "the worker ran no index in any run");
        Assert.True(thirdOnWorker * 4 >= workerRuns * 3, $"of the {workerRuns} runs the worker took part in, it ran the first index of its share in {thirdOnWorker}");
    }

    [Fact]
    public void ARunTooShortToGainFromASplitStaysOnTheCaller()
    {
        // The first probe of so short a run wakes the worker for 5 ms at least (it is never on time for so short a run), then
        // times up to 1024 runs each way before it decides.
        using var group = new WorkerGroup(2, "test");
        var work = new CountingWork(4);
        var clock = Stopwatch.StartNew();
        var runs = 0;
        while (runs < 3000 || clock.ElapsedMilliseconds < 50)
        {
            group.Run(work, 4);
            runs++;
        }

        Assert.False(group.Splits);
        Assert.All(work.Visits, v => Assert.Equal(runs, v));
        Assert.All(work.ThreadOf, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
    }

    [Fact]
    public void AOneThreadVerdictFromAStalledProbeIsRecheckedWithinAQuarterSecond()
    {
        // Sleeps, not spins, so a split halves the wall time while the worker is scheduled. The probe's split runs stall
        // the worker (30 ms), so it chooses one thread; the next probe must try the split again after 0.25 s, not after
        // 4096 runs (16 s of these).
        using var group = new WorkerGroup(2, "test");
        var work = new SleepingWork(Environment.CurrentManagedThreadId);
        work.StallWorker = true;

        // Until the first verdict: a few probe runs, more where a busy machine keeps the worker from joining them in time.
        var first = System.Diagnostics.Stopwatch.StartNew();
        while (group.Splits && first.Elapsed < TimeSpan.FromSeconds(10))
        {
            group.Run(work, 2);
        }

        Assert.False(group.Splits, "the stalled worker's splits never lost to one thread");
        work.StallWorker = false;
        var workerRuns = work.WorkerRuns;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (work.WorkerRuns == workerRuns && clock.Elapsed < TimeSpan.FromSeconds(4))
        {
            group.Run(work, 2);
        }

        // The next probe's splits hand the worker an index again (a busy machine may still make them lose).
        Assert.True(work.WorkerRuns > workerRuns, "the group never tried a split again after its one-thread verdict");
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 2);
    }

    [Fact]
    public void WorkerExceptionReachesTheCaller()
    {
        using var group = new WorkerGroup(2, "test");
        var failure = Assert.Throws<InvalidOperationException>(() => group.Run(new FailingWork(failAt: 3), 4));
        Assert.Equal("index 3", failure.Message);

        // The group stays usable after a failed run.
        var work = new CountingWork(4);
        group.Run(work, 4);
        Assert.All(work.Visits, v => Assert.Equal(1, v));
    }

    private sealed class CountingWork(int count, TimeSpan pause = default) : IRangeWork
    {
        public int[] Visits { get; } = new int[count];

        public int[] ThreadOf { get; } = new int[count];

        public void Execute(int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                Visits[i]++;
                ThreadOf[i] = Environment.CurrentManagedThreadId;
                if (pause > TimeSpan.Zero)
                {
                    Thread.Sleep(pause);
                }
            }
        }
    }

    private sealed class SleepingWork(int caller) : IRangeWork
    {
        public bool StallWorker { get; set; }

        public int WorkerRuns { get; private set; }

        public void Execute(int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                var onWorker = Environment.CurrentManagedThreadId != caller;
                WorkerRuns += onWorker ? 1 : 0;
                Thread.Sleep(onWorker && StallWorker ? 30 : 2);
            }
        }
    }

    private sealed class FailingWork(int failAt) : IRangeWork
    {
        public void Execute(int start, int end)
        {
            if (failAt >= start && failAt < end)
            {
                throw new InvalidOperationException($"index {failAt}");
            }
        }
    }
}
