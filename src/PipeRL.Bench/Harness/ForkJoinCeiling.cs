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
    // Each batch runs for about this long.
    private static readonly long BatchTicks = Stopwatch.Frequency / 50;

    /// <summary>
    /// The median seconds of one pinned run of <paramref name="pool"/> whose chunks each spin for
    /// <paramref name="spinSeconds"/>, over <paramref name="batches"/> batches of about 20 ms (after one untimed batch that
    /// wakes the workers); null on a pool of one thread.
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
        var runs = (int)Math.Clamp(BatchTicks / spin.Ticks, 1, 1_000_000);
        var seconds = new double[batches];
        for (var b = -1; b < batches; b++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var r = 0; r < runs; r++)
            {
                pool.RunPinned(spin);
            }

            if (b >= 0)
            {
                seconds[b] = Stopwatch.GetElapsedTime(start).TotalSeconds / runs;
            }
        }

        Array.Sort(seconds);
        return seconds[batches / 2];
    }

    /// <summary>Each chunk spins on the clock for <see cref="Ticks"/> from its own start.</summary>
    private sealed class Spin(long ticks) : IParallelWork
    {
        public long Ticks { get; } = ticks;

        public void Execute(int chunk, int chunkCount)
        {
            var end = Stopwatch.GetTimestamp() + Ticks;
            while (Stopwatch.GetTimestamp() < end)
            {
            }
        }
    }
}
