using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace PipeRL.Tensors.Kernels;

/// <summary>
/// Single-precision matrix products C = op(A)·op(B) (+ C), row-major, every transpose combination, on Vector256 or
/// Vector512 (FMA where the CPU has it) with a scalar fallback.
/// </summary>
/// <remarks>
/// Three paths: for m ≤ 4 rows, dot products against rows of Bᵀ (batch-1 <c>x·Wᵀ</c>) or row updates against rows of B,
/// straight from the operands with nothing packed; otherwise B is packed into 16-column panels (32 with AVX-512 when C
/// has more than 16 columns) and a 6×16 (6×32) register tile runs over them, rows split across a
/// <see cref="WorkerPool"/> when one is given; with AVX-512 a 16-column panel takes two 6-row tiles at once, one
/// register per row. There every element of C is one fused multiply-add chain over k in order, so every tile, panel
/// width and thread count gives the same bits. A dense layer's batch-1 inference may instead read a panelled copy of
/// W (<see cref="MultiplyDotPanels"/>, the bits of the dot-product path).
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>Rows of C per register tile: a split of the rows at multiples of it computes no tile twice.</summary>
    public const int TileRows = Mr;

    private const int Mr = 6;

    /// <summary>Panel width of the 256-bit tile (two vectors of 8).</summary>
    private const int Nr = 16;

    /// <summary>Panel width of the 512-bit tile (two vectors of 16): half the loads and instructions per flop (+13% on a 6400-deep dense layer on Zen 4).</summary>
    private const int WideNr = 32;

    private const int SmallRows = 4;

    /// <summary>Products with at most this many rows of A take the unpacked paths (and <see cref="MultiplyDotPanels"/> serves them).</summary>
    public const int SmallRowCount = SmallRows;

    [ThreadStatic]
    private static float[]? t_pack;

    [ThreadStatic]
    private static GemmWork? t_work;

    // The split product whose B this thread's t_pack holds (see GemmWork.SetPackedByEachThread); 0: none.
    [ThreadStatic]
    private static long t_packedProduct;

    // Numbers the split products whose B each thread packs itself, so a thread knows whether its copy is this product's.
    private static long s_splitProducts;

    /// <summary>
    /// C[m,n] = op(A)[m,k]·op(B)[k,n], added to C when <paramref name="accumulate"/>. op(A) is A stored [m,k], or with
    /// <paramref name="transA"/> Aᵀ where A is stored [k,m]; likewise B is stored [k,n], or [n,k] with <paramref name="transB"/>.
    /// With <paramref name="relu"/>, each result (after the accumulation) is stored as max(·, 0), tile by tile.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate, WorkerPool? pool = null, bool relu = false)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must be non-negative, got m={m}, n={n}, k={k}.");
        }

        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
        {
            throw new ArgumentException($"Operands too short for a [{m}x{k}]·[{k}x{n}] product: A has {a.Length}, B {b.Length}, C {c.Length} elements.", nameof(a));
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }
            else if (relu)
            {
                TensorPrimitives.Max(c[..(m * n)], 0f, c[..(m * n)]);
            }

            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            int rsA = transA ? 1 : k;
            int csA = transA ? m : 1;
            if (Vector256.IsHardwareAccelerated && m > SmallRows)
            {
                Packed(pa, rsA, csA, pb, transB, pc, m, n, k, accumulate, relu, pool);
                return;
            }

            if (!Vector256.IsHardwareAccelerated)
            {
                MultiplyScalar(pa, transA, pb, transB, pc, m, n, k, accumulate);
            }
            else if (transB)
            {
                DotRows(pa, rsA, csA, pb, pc, m, n, k, accumulate);
            }
            else
            {
                AxpyRows(pa, rsA, csA, pb, pc, m, n, k, accumulate);
            }
        }

        // A few rows here (or no SIMD at all): one pass over them while they are still in cache.
        if (relu)
        {
            TensorPrimitives.Max(c[..(m * n)], 0f, c[..(m * n)]);
        }
    }

    /// <summary>The plain triple loop (also the fallback without SIMD); accumulates in float like the fast paths.</summary>
    internal static void MultiplyScalar(float* a, bool transA, float* b, bool transB, float* c, int m, int n, int k, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int kk = 0; kk < k; kk++)
                {
                    float av = transA ? a[(kk * m) + i] : a[(i * k) + kk];
                    float bv = transB ? b[(j * k) + kk] : b[(kk * n) + j];
                    sum += av * bv;
                }

                c[(i * n) + j] = accumulate ? c[(i * n) + j] + sum : sum;
            }
        }
    }
}
