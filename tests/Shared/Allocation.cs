namespace PipeRL.Tests;

/// <summary>What a warm loop allocates on the calling thread, for the "allocates nothing" tests.</summary>
internal static class Allocation
{
    /// <summary>Runs of the loop before a count is believed.</summary>
    private const int Runs = 3;

    /// <summary>
    /// The bytes that the calling thread allocated in <paramref name="loop"/>, run up to three times until a run counts
    /// none: 0 when one run allocated nothing, else the last run's count.
    /// </summary>
    /// <remarks>
    /// <c>GC.GetAllocatedBytesForCurrentThread</c> now and then moves by less than one 8 KB allocation context with nothing
    /// allocated: the runtime's own test of it was made lenient for that (dotnet/runtime #63487, #74388), and the batch-4
    /// ticks of a pipelined CNN, arithmetic on preallocated arrays, read 360-6,184 bytes in 4 of about 6,000 twenty-tick
    /// loops beside two busy processes, each time inside a long product (another thread's collection alone moved nothing
    /// in a check). A loop that allocates does so in every run, so it still fails. A one-time
    /// allocation that only a rare timing reaches (a thread's buffer growing the first time it takes over another's work)
    /// passes here; such a path needs a test of its own that reaches it every time.
    /// </remarks>
    public static long InSteadyLoop(Action loop)
    {
        long counted = 0;
        for (var run = 0; run < Runs; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            loop();
            counted = GC.GetAllocatedBytesForCurrentThread() - before;
            if (counted == 0)
            {
                return 0;
            }
        }

        return counted;
    }
}
