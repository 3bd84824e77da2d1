using System.Runtime.InteropServices;

namespace PipeRL.Bench.Harness;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>). On a machine shared with other work,
/// it excludes the time the thread waited for a core, so it estimates what the operation costs on an idle machine.
/// </summary>
public static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Whether the clock is available here (Linux only).</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>Seconds of CPU time this thread has used, or NaN when unsupported.</summary>
    public static double Now()
    {
        if (!IsSupported)
        {
            return double.NaN;
        }

        clock_gettime(ClockThreadCpuTimeId, out var ts);
        return ts.Seconds + (ts.Nanoseconds * 1e-9);
    }

    private static bool Probe()
    {
        try
        {
            return clock_gettime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
