using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Bench.Engine;

/// <summary>The per-core single-precision FMA rate measured with a register-only loop (no memory traffic).</summary>
internal static class FmaPeak
{
    /// <summary>GFLOP/s of one thread running 12 independent 256-bit FMA chains (best short slice within) <paramref name="milliseconds"/>.</summary>
    public static double Measure256(int milliseconds) =>
        Fma.IsSupported ? BestRate(milliseconds, 12 * 16, n => Run256(n).GetElement(0)) : double.NaN;

    /// <summary>Same with 512-bit vectors, or NaN where Vector512 is not accelerated.</summary>
    public static double Measure512(int milliseconds) =>
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? BestRate(milliseconds, 12 * 32, n => Run512(n).GetElement(0)) : double.NaN;

    /// <summary>The best GFLOP/s of <paramref name="run"/> over short slices within <paramref name="milliseconds"/>.</summary>
    private static double BestRate(int milliseconds, int flopsPerIteration, Func<int, float> run)
    {
        // The best of many short slices: on a shared machine most slices lose part of their time to other processes.
        const int Iterations = 200_000;
        double best = 0;
        var sink = 0f;
        var clock = Stopwatch.StartNew();
        do
        {
            long start = Stopwatch.GetTimestamp();
            sink += run(Iterations);
            best = Math.Max(best, Iterations * (double)flopsPerIteration / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
        }
        while (clock.ElapsedMilliseconds < milliseconds);

        GC.KeepAlive(sink);
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
