using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Tensors.Kernels;

/// <summary>The 16-column panels on 512-bit vectors: two 6-row tiles at once, one register per row.</summary>
public static unsafe partial class Gemm
{
    /// <summary>Whether 16-column panels run <see cref="TilePair16"/> (AVX-512) rather than <see cref="Tile256"/>, tile by tile.</summary>
    private static bool NarrowTilesInPairs => Avx512F.IsSupported;

    /// <summary>
    /// Two 6×16 tiles (rows of <paramref name="a"/> then of <paramref name="b"/>) of one 16-column panel on 512-bit vectors:
    /// per k, one load of B and twelve broadcasts feed twelve FMAs, twice the flops per instruction of
    /// <see cref="Tile256"/> on the narrow products of 16-channel convolutions (1.8-1.9× on Zen 5). Each element is the
    /// same fused chain over k, so the bits are equal. <paramref name="mrB"/> = 0 computes only the first tile.
    /// </summary>
    [SkipLocalsInit]
    private static void TilePair16(in TileA a, int mrA, in TileA b, int mrB, float* bp, float* c, int ldc, int nr, bool accumulate, bool relu)
    {
        float* a0 = a.R0;
        float* a1 = a.R1;
        float* a2 = a.R2;
        float* a3 = a.R3;
        float* a4 = a.R4;
        float* a5 = a.R5;
        float* b0 = b.R0;
        float* b1 = b.R1;
        float* b2 = b.R2;
        float* b3 = b.R3;
        float* b4 = b.R4;
        float* b5 = b.R5;
        int step = a.Step;
        int runs = a.Runs;
        int runStride = a.RunStride;
        int runLength = a.RunLength;
        var c0 = Vector512<float>.Zero;
        var c1 = Vector512<float>.Zero;
        var c2 = Vector512<float>.Zero;
        var c3 = Vector512<float>.Zero;
        var c4 = Vector512<float>.Zero;
        var c5 = Vector512<float>.Zero;
        var c6 = Vector512<float>.Zero;
        var c7 = Vector512<float>.Zero;
        var c8 = Vector512<float>.Zero;
        var c9 = Vector512<float>.Zero;
        var c10 = Vector512<float>.Zero;
        var c11 = Vector512<float>.Zero;
        for (int run = 0, start = 0; run < runs; run++, start += runStride)
        {
            for (int kk = 0, o = start; kk < runLength; kk++, o += step, bp += 16)
            {
                var w = Vector512.Load(bp);
                c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[o]), w, c0);
                c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[o]), w, c1);
                c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[o]), w, c2);
                c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[o]), w, c3);
                c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[o]), w, c4);
                c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a5[o]), w, c5);
                c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(b0[o]), w, c6);
                c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(b1[o]), w, c7);
                c8 = Avx512F.FusedMultiplyAdd(Vector512.Create(b2[o]), w, c8);
                c9 = Avx512F.FusedMultiplyAdd(Vector512.Create(b3[o]), w, c9);
                c10 = Avx512F.FusedMultiplyAdd(Vector512.Create(b4[o]), w, c10);
                c11 = Avx512F.FusedMultiplyAdd(Vector512.Create(b5[o]), w, c11);
            }
        }

        if (mrA == Mr && mrB == Mr && nr == 16)
        {
            StoreRow16(c, c0, accumulate, relu);
            StoreRow16(c + ldc, c1, accumulate, relu);
            StoreRow16(c + (2 * ldc), c2, accumulate, relu);
            StoreRow16(c + (3 * ldc), c3, accumulate, relu);
            StoreRow16(c + (4 * ldc), c4, accumulate, relu);
            StoreRow16(c + (5 * ldc), c5, accumulate, relu);
            StoreRow16(c + (6 * ldc), c6, accumulate, relu);
            StoreRow16(c + (7 * ldc), c7, accumulate, relu);
            StoreRow16(c + (8 * ldc), c8, accumulate, relu);
            StoreRow16(c + (9 * ldc), c9, accumulate, relu);
            StoreRow16(c + (10 * ldc), c10, accumulate, relu);
            StoreRow16(c + (11 * ldc), c11, accumulate, relu);
            return;
        }

        float* t = stackalloc float[2 * Mr * 16];
        c0.Store(t);
        c1.Store(t + 16);
        c2.Store(t + 32);
        c3.Store(t + 48);
        c4.Store(t + 64);
        c5.Store(t + 80);
        c6.Store(t + 96);
        c7.Store(t + 112);
        c8.Store(t + 128);
        c9.Store(t + 144);
        c10.Store(t + 160);
        c11.Store(t + 176);
        StorePartial(t, 16, c, ldc, mrA, nr, accumulate, relu);
        StorePartial(t + (Mr * 16), 16, c + (Mr * ldc), ldc, mrB, nr, accumulate, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow16(float* c, Vector512<float> v, bool accumulate, bool relu)
    {
        if (accumulate)
        {
            v += Vector512.Load(c);
        }

        if (relu)
        {
            v = Vector512.Max(v, Vector512<float>.Zero);
        }

        v.Store(c);
    }
}
