using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Bench.Engine;

/// <summary>The per-core single-precision FMA rate measured with a register-only loop (no memory traffic).</summary>
internal static class FmaPeak
{
    /// <summary>GFLOP/s of one thread running 12 independent 256-bit FMA chains (best short slice within) <paramref name="milliseconds"/>.</summary>
    public static double Measure256(int milliseconds)
    {
        if (!Fma.IsSupported)
        {
            return double.NaN;
        }

        // The best of many short slices: on a shared machine most slices lose part of their time to other processes.
        const int Iterations = 200_000;
        double best = 0;
        var clock = Stopwatch.StartNew();
        var sink = Vector256<float>.Zero;
        do
        {
            long start = Stopwatch.GetTimestamp();
            sink += Run256(Iterations);
            best = Math.Max(best, Iterations * 12.0 * 16 / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
        }
        while (clock.ElapsedMilliseconds < milliseconds);

        GC.KeepAlive(sink.GetElement(0));
        return best;
    }

    /// <summary>Same with 512-bit vectors, or NaN where Vector512 is not accelerated.</summary>
    public static double Measure512(int milliseconds)
    {
        if (!Avx512F.IsSupported || !Vector512.IsHardwareAccelerated)
        {
            return double.NaN;
        }

        // The best of many short slices: on a shared machine most slices lose part of their time to other processes.
        const int Iterations = 200_000;
        double best = 0;
        var clock = Stopwatch.StartNew();
        var sink = Vector512<float>.Zero;
        do
        {
            long start = Stopwatch.GetTimestamp();
            sink += Run512(Iterations);
            best = Math.Max(best, Iterations * 12.0 * 32 / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
        }
        while (clock.ElapsedMilliseconds < milliseconds);

        GC.KeepAlive(sink.GetElement(0));
        return best;
    }

    private static Vector256<float> Run256(int n)
    {
        var x = Vector256.Create(0.999f);
        var y = Vector256.Create(1e-7f);
        var c0 = Vector256.Create(1f);
        var c1 = c0;
        var c2 = c0;
        var c3 = c0;
        var c4 = c0;
        var c5 = c0;
        var c6 = c0;
        var c7 = c0;
        var c8 = c0;
        var c9 = c0;
        var c10 = c0;
        var c11 = c0;
        for (int i = 0; i < n; i++)
        {
            c0 = Fma.MultiplyAdd(c0, x, y);
            c1 = Fma.MultiplyAdd(c1, x, y);
            c2 = Fma.MultiplyAdd(c2, x, y);
            c3 = Fma.MultiplyAdd(c3, x, y);
            c4 = Fma.MultiplyAdd(c4, x, y);
            c5 = Fma.MultiplyAdd(c5, x, y);
            c6 = Fma.MultiplyAdd(c6, x, y);
            c7 = Fma.MultiplyAdd(c7, x, y);
            c8 = Fma.MultiplyAdd(c8, x, y);
            c9 = Fma.MultiplyAdd(c9, x, y);
            c10 = Fma.MultiplyAdd(c10, x, y);
            c11 = Fma.MultiplyAdd(c11, x, y);
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }

    private static Vector512<float> Run512(int n)
    {
        var x = Vector512.Create(0.999f);
        var y = Vector512.Create(1e-7f);
        var c0 = Vector512.Create(1f);
        var c1 = c0;
        var c2 = c0;
        var c3 = c0;
        var c4 = c0;
        var c5 = c0;
        var c6 = c0;
        var c7 = c0;
        var c8 = c0;
        var c9 = c0;
        var c10 = c0;
        var c11 = c0;
        for (int i = 0; i < n; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, x, y);
            c1 = Avx512F.FusedMultiplyAdd(c1, x, y);
            c2 = Avx512F.FusedMultiplyAdd(c2, x, y);
            c3 = Avx512F.FusedMultiplyAdd(c3, x, y);
            c4 = Avx512F.FusedMultiplyAdd(c4, x, y);
            c5 = Avx512F.FusedMultiplyAdd(c5, x, y);
            c6 = Avx512F.FusedMultiplyAdd(c6, x, y);
            c7 = Avx512F.FusedMultiplyAdd(c7, x, y);
            c8 = Avx512F.FusedMultiplyAdd(c8, x, y);
            c9 = Avx512F.FusedMultiplyAdd(c9, x, y);
            c10 = Avx512F.FusedMultiplyAdd(c10, x, y);
            c11 = Avx512F.FusedMultiplyAdd(c11, x, y);
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }
}
