using System.Diagnostics;

namespace PipeRL.Bench.Harness;

/// <summary>
/// How long a value written by one thread takes to reach another thread and come back (two threads passing a counter
/// to each other, each written on a cache line of its own): the floor of a fork-join's cost, paid at least once by every
/// split tick. On the 2-vCPU Zen 5 VM it took 0.14-0.16, 0.6 or 1.1-1.7 µs, each for minutes at a time, and the batch-1
/// speed-ups of <c>piperl bench pipeline</c> moved with it, so that bench reports it beside each case.
/// </summary>
public static class CoreRoundTrip
{
    // Indices of the two counters: 256 bytes apart, so on different lines and different 128-byte line pairs.
    private const int Ping = 16;
    private const int Pong = 48;
    private const int Length = 64;

    // Clock reads are spaced by this many polls while waiting.
    private const int PollsPerClockRead = 1024;

    /// <summary>
    /// The median seconds of one round trip over <paramref name="batches"/> batches of <paramref name="roundTrips"/>; a batch
    /// stops early after <paramref name="batchBudget"/> (the other thread descheduled: on a busy machine a round trip can
    /// take milliseconds). Null when not measured: on a machine of one logical core, where the two threads would take
    /// turns instead, or when most batches completed no round trip at all.
    /// </summary>
    public static double? Measure(int roundTrips = 2000, int batches = 5, TimeSpan? batchBudget = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roundTrips);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batches);
        if (Environment.ProcessorCount < 2)
        {
            return null;
        }

        var budget = (long)((batchBudget ?? TimeSpan.FromMilliseconds(20)).TotalSeconds * Stopwatch.Frequency);
        var counters = new long[Length];
        var echo = new Thread(() => Echo(counters)) { IsBackground = true, Name = "PipeRL round-trip echo" };
        echo.Start();
        var seconds = new double[batches];
        long sent = 0;
        try
        {
            for (var b = 0; b < batches; b++)
            {
                var start = Stopwatch.GetTimestamp();
                var deadline = start + budget;
                var done = 0;
                while (done < roundTrips)
                {
                    Volatile.Write(ref counters[Ping], ++sent);
                    if (!AwaitEcho(counters, sent, deadline))
                    {
                        break;
                    }

                    done++;
                }

                seconds[b] = done == 0 ? double.PositiveInfinity : (double)(Stopwatch.GetTimestamp() - start) / Stopwatch.Frequency / done;
            }
        }
        finally
        {
            Volatile.Write(ref counters[Ping], -1);
            echo.Join();
        }

        Array.Sort(seconds);
        var median = seconds[batches / 2];
        return double.IsFinite(median) ? median : null;
    }

    /// <summary>The round trips measured just before and just after some work, for a report line ("not measured" where null).</summary>
    public static string Describe(double? before, double? after) =>
        $"cross-core round trip {Format(before)} before, {Format(after)} after";

    private static string Format(double? seconds) => seconds is { } s ? BenchReport.FormatTime(s) : "not measured";

    /// <summary>Waits until the echo thread has returned <paramref name="sent"/>; false when the clock passed <paramref name="deadline"/> first.</summary>
    private static bool AwaitEcho(long[] counters, long sent, long deadline)
    {
        while (true)
        {
            for (var i = 0; i < PollsPerClockRead; i++)
            {
                if (Volatile.Read(ref counters[Pong]) >= sent)
                {
                    return true;
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }
        }
    }

    /// <summary>Returns every new count it sees until the count goes negative.</summary>
    private static void Echo(long[] counters)
    {
        long last = 0;
        while (true)
        {
            var seen = Volatile.Read(ref counters[Ping]);
            if (seen < 0)
            {
                return;
            }

            if (seen > last)
            {
                Volatile.Write(ref counters[Pong], seen);
                last = seen;
            }
        }
    }
}
