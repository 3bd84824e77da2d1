using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Tensors.Kernels;

/// <summary>The register tiles of the packed path: 6×32 on 512-bit vectors, 6×16 on 256-bit ones (and 12×16 on 512-bit ones, <see cref="TilePair16"/>).</summary>
public static unsafe partial class Gemm
{
    /// <summary>A 6×<paramref name="width"/> tile of C from the rows of A that <paramref name="a"/> locates and one packed panel of B, max(·, 0) on store with <paramref name="relu"/>.</summary>
    private static void Tile(in TileA a, int mr, float* bp, float* c, int ldc, int nr, int width, bool accumulate, bool relu)
    {
        if (width == WideNr)
        {
            Tile512(a, mr, bp, c, ldc, nr, accumulate, relu);
        }
        else
        {
            Tile256(a, mr, bp, c, ldc, nr, accumulate, relu);
        }
    }

    /// <summary>
    /// A 6×32 tile on 512-bit vectors: per k, two vector loads of B and six broadcasts feed twelve FMAs (half the loads and
    /// instructions per flop of <see cref="Tile256"/>); each element is the same fused chain over k, so the bits are equal.
    /// </summary>
    [SkipLocalsInit]
    private static void Tile512(in TileA a, int mr, float* bp, float* c, int ldc, int nr, bool accumulate, bool relu)
    {
        float* a0 = a.R0;
        float* a1 = a.R1;
        float* a2 = a.R2;
        float* a3 = a.R3;
        float* a4 = a.R4;
        float* a5 = a.R5;
        int step = a.Step;
        int runs = a.Runs;
        int runStride = a.RunStride;
        int runLength = a.RunLength;
        var c00 = Vector512<float>.Zero;
        var c01 = Vector512<float>.Zero;
        var c10 = Vector512<float>.Zero;
        var c11 = Vector512<float>.Zero;
        var c20 = Vector512<float>.Zero;
        var c21 = Vector512<float>.Zero;
        var c30 = Vector512<float>.Zero;
        var c31 = Vector512<float>.Zero;
        var c40 = Vector512<float>.Zero;
        var c41 = Vector512<float>.Zero;
        var c50 = Vector512<float>.Zero;
        var c51 = Vector512<float>.Zero;
        for (int run = 0, start = 0; run < runs; run++, start += runStride)
        {
            for (int kk = 0, o = start; kk < runLength; kk++, o += step, bp += 32)
            {
                var b0 = Vector512.Load(bp);
                var b1 = Vector512.Load(bp + 16);
                var v = Vector512.Create(a0[o]);
                c00 = Avx512F.FusedMultiplyAdd(v, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(v, b1, c01);
                v = Vector512.Create(a1[o]);
                c10 = Avx512F.FusedMultiplyAdd(v, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(v, b1, c11);
                v = Vector512.Create(a2[o]);
                c20 = Avx512F.FusedMultiplyAdd(v, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(v, b1, c21);
                v = Vector512.Create(a3[o]);
                c30 = Avx512F.FusedMultiplyAdd(v, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(v, b1, c31);
                v = Vector512.Create(a4[o]);
                c40 = Avx512F.FusedMultiplyAdd(v, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(v, b1, c41);
                v = Vector512.Create(a5[o]);
                c50 = Avx512F.FusedMultiplyAdd(v, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(v, b1, c51);
            }
        }

        if (mr == Mr && nr == 32)
        {
            StoreRow512(c, c00, c01, accumulate, relu);
            StoreRow512(c + ldc, c10, c11, accumulate, relu);
            StoreRow512(c + (2 * ldc), c20, c21, accumulate, relu);
            StoreRow512(c + (3 * ldc), c30, c31, accumulate, relu);
            StoreRow512(c + (4 * ldc), c40, c41, accumulate, relu);
            StoreRow512(c + (5 * ldc), c50, c51, accumulate, relu);
            return;
        }

        float* t = stackalloc float[Mr * 32];
        c00.Store(t);
        c01.Store(t + 16);
        c10.Store(t + 32);
        c11.Store(t + 48);
        c20.Store(t + 64);
        c21.Store(t + 80);
        c30.Store(t + 96);
        c31.Store(t + 112);
        c40.Store(t + 128);
        c41.Store(t + 144);
        c50.Store(t + 160);
        c51.Store(t + 176);
        StorePartial(t, 32, c, ldc, mr, nr, accumulate, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow512(float* c, Vector512<float> v0, Vector512<float> v1, bool accumulate, bool relu)
    {
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }

        if (relu)
        {
            // IEEE maximum like TensorPrimitives.Max (NaN propagates, max(−0, 0) = +0): the same bits as a separate ReLU.
            v0 = Vector512.Max(v0, Vector512<float>.Zero);
            v1 = Vector512.Max(v1, Vector512<float>.Zero);
        }

        v0.Store(c);
        v1.Store(c + 16);
    }

    /// <summary>Writes (or adds) the top-left mr×nr corner of the tile <paramref name="t"/> (row stride <paramref name="width"/>) to C, max(·, 0) with <paramref name="relu"/>.</summary>
    private static void StorePartial(float* t, int width, float* c, int ldc, int mr, int nr, bool accumulate, bool relu)
    {
        for (int i = 0; i < mr; i++)
        {
            float* ci = c + (i * ldc);
            float* ti = t + (i * width);
            for (int j = 0; j < nr; j++)
            {
                float v = accumulate ? ci[j] + ti[j] : ti[j];
                ci[j] = relu ? MathF.Max(v, 0f) : v;
            }
        }
    }

    /// <summary>A 6×16 tile on 256-bit vectors (CPUs without AVX-512).</summary>
    [SkipLocalsInit]
    private static void Tile256(in TileA a, int mr, float* bp, float* c, int ldc, int nr, bool accumulate, bool relu)
    {
        float* a0 = a.R0;
        float* a1 = a.R1;
        float* a2 = a.R2;
        float* a3 = a.R3;
        float* a4 = a.R4;
        float* a5 = a.R5;
        int step = a.Step;
        int runs = a.Runs;
        int runStride = a.RunStride;
        int runLength = a.RunLength;
        var c00 = Vector256<float>.Zero;
        var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero;
        var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero;
        var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero;
        var c31 = Vector256<float>.Zero;
        var c40 = Vector256<float>.Zero;
        var c41 = Vector256<float>.Zero;
        var c50 = Vector256<float>.Zero;
        var c51 = Vector256<float>.Zero;
        for (int run = 0, start = 0; run < runs; run++, start += runStride)
        {
            for (int kk = 0, o = start; kk < runLength; kk++, o += step, bp += 16)
            {
                var b0 = Vector256.Load(bp);
                var b1 = Vector256.Load(bp + 8);
                var v = Vector256.Create(a0[o]);
                c00 = Fmadd(v, b0, c00);
                c01 = Fmadd(v, b1, c01);
                v = Vector256.Create(a1[o]);
                c10 = Fmadd(v, b0, c10);
                c11 = Fmadd(v, b1, c11);
                v = Vector256.Create(a2[o]);
                c20 = Fmadd(v, b0, c20);
                c21 = Fmadd(v, b1, c21);
                v = Vector256.Create(a3[o]);
                c30 = Fmadd(v, b0, c30);
                c31 = Fmadd(v, b1, c31);
                v = Vector256.Create(a4[o]);
                c40 = Fmadd(v, b0, c40);
                c41 = Fmadd(v, b1, c41);
                v = Vector256.Create(a5[o]);
                c50 = Fmadd(v, b0, c50);
                c51 = Fmadd(v, b1, c51);
            }
        }

        if (mr == Mr && nr == 16)
        {
            StoreRow(c, c00, c01, accumulate, relu);
            StoreRow(c + ldc, c10, c11, accumulate, relu);
            StoreRow(c + (2 * ldc), c20, c21, accumulate, relu);
            StoreRow(c + (3 * ldc), c30, c31, accumulate, relu);
            StoreRow(c + (4 * ldc), c40, c41, accumulate, relu);
            StoreRow(c + (5 * ldc), c50, c51, accumulate, relu);
            return;
        }

        float* t = stackalloc float[Mr * 16];
        c00.Store(t);
        c01.Store(t + 8);
        c10.Store(t + 16);
        c11.Store(t + 24);
        c20.Store(t + 32);
        c21.Store(t + 40);
        c30.Store(t + 48);
        c31.Store(t + 56);
        c40.Store(t + 64);
        c41.Store(t + 72);
        c50.Store(t + 80);
        c51.Store(t + 88);
        StorePartial(t, 16, c, ldc, mr, nr, accumulate, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> v0, Vector256<float> v1, bool accumulate, bool relu)
    {
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }

        if (relu)
        {
            v0 = Vector256.Max(v0, Vector256<float>.Zero);
            v1 = Vector256.Max(v1, Vector256<float>.Zero);
        }

        v0.Store(c);
        v1.Store(c + 8);
    }

    /// <summary>
    /// Where a tile's rows of A lie: six row pointers (a short tile repeats the first), each read at <see cref="Step"/>-float
    /// steps in <see cref="Runs"/> runs of <see cref="RunLength"/> steps, run r from r·<see cref="RunStride"/> past the pointer.
    /// </summary>
    private readonly struct TileA
    {
        public readonly float* R0;
        public readonly float* R1;
        public readonly float* R2;
        public readonly float* R3;
        public readonly float* R4;
        public readonly float* R5;
        public readonly int Step;
        public readonly int Runs;
        public readonly int RunStride;
        public readonly int RunLength;

        /// <summary>Stored rows, <paramref name="rowStride"/> apart, read in one run of <paramref name="k"/> steps.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TileA(float* first, int rowStride, int mr, int step, int k)
        {
            R0 = first;
            R1 = mr > 1 ? first + rowStride : first;
            R2 = mr > 2 ? first + (2 * rowStride) : first;
            R3 = mr > 3 ? first + (3 * rowStride) : first;
            R4 = mr > 4 ? first + (4 * rowStride) : first;
            R5 = mr > 5 ? first + (5 * rowStride) : first;
            Step = step;
            Runs = 1;
            RunLength = k;
        }

        /// <summary>Rows starting anywhere in <paramref name="source"/>, read contiguously within a run.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TileA(float* source, int* rowStarts, int mr, int runs, int runStride, int runLength)
        {
            R0 = source + rowStarts[0];
            R1 = mr > 1 ? source + rowStarts[1] : R0;
            R2 = mr > 2 ? source + rowStarts[2] : R0;
            R3 = mr > 3 ? source + rowStarts[3] : R0;
            R4 = mr > 4 ? source + rowStarts[4] : R0;
            R5 = mr > 5 ? source + rowStarts[5] : R0;
            Step = 1;
            Runs = runs;
            RunStride = runStride;
            RunLength = runLength;
        }
    }
}
