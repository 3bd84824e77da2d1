using System.Diagnostics;
using PipeRL.Tensors;

namespace PipeRL.Bench.Harness;

/// <summary>
/// What the fork and the join alone leave of a two-thread split on this host now: a pinned run of a pool whose chunks each
/// spin for the same time (reading the clock, touching no shared memory), so the run's time over one spin is the price of
/// handing work to the workers and waiting for them, with no imbalance and no data crossing cores. A tick split into two
/// equal halves of that length reaches this run's speed-up only where splitting costs nothing else, and passes it only
/// where its halves find their data nearer than the whole did (each core's half of the weights in its own L2).
/// </summary>
public static class ForkJoinCeiling
{
    /// <summary>
    /// The median seconds of one pinned run of <paramref name="pool"/> whose chunks each spin for
    /// <paramref name="spinSeconds"/>, over <paramref name="batches"/> repetitions of about 20 ms (after 20 ms of warm-up,
    /// which wakes the workers); null on a pool of one thread.
    /// </summary>
    public static double? Measure(WorkerPool pool, double spinSeconds, int batches = 5)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spinSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batches);
        if (pool.ThreadCount < 2)
        {
            return null;
        }

        var spin = new Spin((long)Math.Ceiling(spinSeconds * Stopwatch.Frequency));
        var batch = TimeSpan.FromMilliseconds(20);
        return new BenchRunner(batches, batch, batch).Measure("fork and join alone", () => pool.RunPinned(spin)).Median;
    }

    /// <summary>Each chunk spins on the clock for its ticks from its own start.</summary>
    private sealed class Spin(long ticks) : IParallelWork
    {
        public void Execute(int chunk, int chunkCount)
        {
            var end = Stopwatch.GetTimestamp() + ticks;
            while (Stopwatch.GetTimestamp() < end)
            {
            }
        }
    }
}
