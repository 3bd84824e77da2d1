using System.Diagnostics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Tensors;

/// <summary>
/// The waits of threads that spin for each other between short pieces of work: one pause instruction (about 20 ns on
/// x86), where <c>Thread.SpinWait(1)</c> measured 230-400 ns and <c>Thread.SpinWait(20)</c> 760-950 ns on the 2-vCPU
/// Zen 5 host, so a worker spinning on those noticed a new batch-1 tick about a microsecond late.
/// </summary>
/// <remarks>Internal, and compiled into the envs assembly too (for its vector envs' worker group), from this one file.</remarks>
internal static class SpinPause
{
    /// <summary>How long a worker spins for new work before it blocks (200 µs).</summary>
    public static readonly long IdleSpinTicks = Stopwatch.Frequency / 5_000;

    /// <summary>How long <see cref="Join"/> pauses before it backs off (50 µs).</summary>
    public static readonly long JoinSpinTicks = Stopwatch.Frequency / 20_000;

    /// <summary>Pauses between reads of the clock while spinning (about 0.6 µs of pauses on x86).</summary>
    private const int PausesPerClockRead = 32;

    /// <summary>One short wait: a pause instruction where there is one.</summary>
    public static void Once()
    {
        if (X86Base.IsSupported)
        {
            X86Base.Pause();
        }
        else if (ArmBase.IsSupported)
        {
            ArmBase.Yield();
        }
        else
        {
            Thread.SpinWait(1);
        }
    }

    /// <summary>
    /// Waits for another thread's work: pauses until <paramref name="done"/> holds for <paramref name="state"/>, for up to
    /// <see cref="JoinSpinTicks"/>, then backs off with <see cref="SpinWait"/> (never a 1 ms sleep, which would dwarf a
    /// tick or an env step), so that a descheduled thread can have this core. Returns 0 when the pauses sufficed, else the
    /// <see cref="Stopwatch"/> ticks of the whole wait: the other thread was late, most likely descheduled.
    /// </summary>
    public static long Join<TState>(Func<TState, bool> done, TState state)
    {
        var start = Stopwatch.GetTimestamp();
        if (Until(done, state, JoinSpinTicks, start))
        {
            return 0;
        }

        var spinner = default(SpinWait);
        while (!done(state))
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    /// <summary>
    /// Spins until <paramref name="done"/> holds for <paramref name="state"/> or <paramref name="ticks"/> stopwatch ticks
    /// have passed; returns whether it holds.
    /// </summary>
    public static bool Until<TState>(Func<TState, bool> done, TState state, long ticks) =>
        Until(done, state, ticks, Stopwatch.GetTimestamp());

    private static bool Until<TState>(Func<TState, bool> done, TState state, long ticks, long start)
    {
        var deadline = start + ticks;
        while (true)
        {
            for (var i = 0; i < PausesPerClockRead; i++)
            {
                if (done(state))
                {
                    return true;
                }

                Once();
            }

            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return done(state);
            }
        }
    }
}
