using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Tensors.Kernels;

/// <summary>
/// Single-precision matrix products C = op(A)·op(B) (+ C), row-major, every transpose combination, on Vector256 or
/// Vector512 (FMA where the CPU has it) with a scalar fallback.
/// </summary>
/// <remarks>
/// Three paths: for m ≤ 4 rows, dot products against rows of Bᵀ (batch-1 <c>x·Wᵀ</c>) or row updates against rows of B,
/// straight from the operands with nothing packed; otherwise B is packed into 16-column panels (32 with AVX-512 when C
/// has more than 16 columns) and a 6×16 (6×32) register tile runs over them (rows split across a
/// <see cref="WorkerPool"/> when one is given). There every element of C is one fused multiply-add chain over k in
/// order, so both panel widths and any thread count give the same bits.
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>Rows of C per register tile: a split of the rows at multiples of it computes no tile twice.</summary>
    public const int TileRows = Mr;

    private const int Mr = 6;

    /// <summary>Panel width of the 256-bit tile (two vectors of 8).</summary>
    private const int Nr = 16;

    /// <summary>Panel width of the 512-bit tile (two vectors of 16): half the loads and instructions per flop (+13% on a 6400-deep dense layer on Zen 4).</summary>
    private const int WideNr = 32;

    private const int SmallRows = 4;

    [ThreadStatic]
    private static float[]? t_pack;

    [ThreadStatic]
    private static GemmWork? t_work;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fmadd(Vector256<float> x, Vector256<float> y, Vector256<float> acc)
        => Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : (x * y) + acc;

    /// <summary>Rows of C as dot products of A's rows with B's (transposed-stored) rows, 8 outputs at a time.</summary>
    private static void DotRows(float* a, int rsA, int csA, float* b, float* c, int m, int n, int k, bool accumulate)
    {
        float* row = stackalloc float[csA == 1 ? 1 : Math.Min(k, 4096)];
        float[]? rented = null;
        if (csA != 1 && k > 4096)
        {
            rented = new float[k];
        }

        fixed (float* big = rented)
        {
            for (int i = 0; i < m; i++)
            {
                float* x = a + (i * rsA);
                if (csA != 1)
                {
                    float* dst = rented is null ? row : big;
                    for (int kk = 0; kk < k; kk++)
                    {
                        dst[kk] = x[kk * csA];
                    }

                    x = dst;
                }

                DotRow(x, b, c + (i * n), n, k, accumulate);
            }
        }
    }

    private static void DotRow(float* x, float* w, float* y, int n, int k, bool accumulate)
    {
        int kv = k & ~7;
        int rest = k - kv;
        float* partial = stackalloc float[8];

        // The k tail is one more masked FMA step: lanes past k load as zero (Avx.MaskLoad never touches them).
        var mask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(rest)).AsSingle();
        bool masked = rest > 0 && Avx.IsSupported;
        for (int j = 0; j < n; j += 8)
        {
            // A last block of fewer than 8 outputs repeats its last row and stores only the valid lanes.
            int nr = Math.Min(8, n - j);
            float* w0 = w + (j * k);
            float* p1 = w0 + (Math.Min(1, nr - 1) * k);
            float* p2 = w0 + (Math.Min(2, nr - 1) * k);
            float* p3 = w0 + (Math.Min(3, nr - 1) * k);
            float* p4 = w0 + (Math.Min(4, nr - 1) * k);
            float* p5 = w0 + (Math.Min(5, nr - 1) * k);
            float* p6 = w0 + (Math.Min(6, nr - 1) * k);
            float* p7 = w0 + (Math.Min(7, nr - 1) * k);
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            var s2 = Vector256<float>.Zero;
            var s3 = Vector256<float>.Zero;
            var s4 = Vector256<float>.Zero;
            var s5 = Vector256<float>.Zero;
            var s6 = Vector256<float>.Zero;
            var s7 = Vector256<float>.Zero;
            for (int kk = 0; kk < kv; kk += 8)
            {
                var xv = Vector256.Load(x + kk);
                s0 = Fmadd(xv, Vector256.Load(w0 + kk), s0);
                s1 = Fmadd(xv, Vector256.Load(p1 + kk), s1);
                s2 = Fmadd(xv, Vector256.Load(p2 + kk), s2);
                s3 = Fmadd(xv, Vector256.Load(p3 + kk), s3);
                s4 = Fmadd(xv, Vector256.Load(p4 + kk), s4);
                s5 = Fmadd(xv, Vector256.Load(p5 + kk), s5);
                s6 = Fmadd(xv, Vector256.Load(p6 + kk), s6);
                s7 = Fmadd(xv, Vector256.Load(p7 + kk), s7);
            }

            if (masked)
            {
                var xv = Avx.MaskLoad(x + kv, mask);
                s0 = Fmadd(xv, Avx.MaskLoad(w0 + kv, mask), s0);
                s1 = Fmadd(xv, Avx.MaskLoad(p1 + kv, mask), s1);
                s2 = Fmadd(xv, Avx.MaskLoad(p2 + kv, mask), s2);
                s3 = Fmadd(xv, Avx.MaskLoad(p3 + kv, mask), s3);
                s4 = Fmadd(xv, Avx.MaskLoad(p4 + kv, mask), s4);
                s5 = Fmadd(xv, Avx.MaskLoad(p5 + kv, mask), s5);
                s6 = Fmadd(xv, Avx.MaskLoad(p6 + kv, mask), s6);
                s7 = Fmadd(xv, Avx.MaskLoad(p7 + kv, mask), s7);
            }

            var sum = Reduce8(s0, s1, s2, s3, s4, s5, s6, s7);
            if (rest > 0 && !masked)
            {
                for (int r = 0; r < 8; r++)
                {
                    float t = 0f;
                    float* wr = w0 + (Math.Min(r, nr - 1) * k);
                    for (int kk = kv; kk < k; kk++)
                    {
                        t += x[kk] * wr[kk];
                    }

                    partial[r] = t;
                }

                sum += Vector256.Load(partial);
            }

            if (nr == 8)
            {
                if (accumulate)
                {
                    sum += Vector256.Load(y + j);
                }

                sum.Store(y + j);
            }
            else
            {
                sum.Store(partial);
                for (int r = 0; r < nr; r++)
                {
                    y[j + r] = accumulate ? y[j + r] + partial[r] : partial[r];
                }
            }
        }
    }

    /// <summary>Sums each of eight vectors; lane r of the result is the sum of vector r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reduce8(
        Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3,
        Vector256<float> s4, Vector256<float> s5, Vector256<float> s6, Vector256<float> s7)
    {
        if (Avx.IsSupported)
        {
            var u0 = Avx.HorizontalAdd(Avx.HorizontalAdd(s0, s1), Avx.HorizontalAdd(s2, s3));
            var u1 = Avx.HorizontalAdd(Avx.HorizontalAdd(s4, s5), Avx.HorizontalAdd(s6, s7));
            return Avx.Permute2x128(u0, u1, 0x20) + Avx.Permute2x128(u0, u1, 0x31);
        }

        return Vector256.Create(
            Vector256.Sum(s0), Vector256.Sum(s1), Vector256.Sum(s2), Vector256.Sum(s3),
            Vector256.Sum(s4), Vector256.Sum(s5), Vector256.Sum(s6), Vector256.Sum(s7));
    }

    /// <summary>Rows of C as sums of A[i,k]·B[k,:], 32 columns held in registers at a time.</summary>
    private static void AxpyRows(float* a, int rsA, int csA, float* b, float* c, int m, int n, int k, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            float* x = a + (i * rsA);
            float* y = c + (i * n);
            int j = 0;
            for (; j + 32 <= n; j += 32)
            {
                var c0 = accumulate ? Vector256.Load(y + j) : Vector256<float>.Zero;
                var c1 = accumulate ? Vector256.Load(y + j + 8) : Vector256<float>.Zero;
                var c2 = accumulate ? Vector256.Load(y + j + 16) : Vector256<float>.Zero;
                var c3 = accumulate ? Vector256.Load(y + j + 24) : Vector256<float>.Zero;
                float* p = b + j;
                for (int kk = 0; kk < k; kk++, p += n)
                {
                    var xv = Vector256.Create(x[kk * csA]);
                    c0 = Fmadd(xv, Vector256.Load(p), c0);
                    c1 = Fmadd(xv, Vector256.Load(p + 8), c1);
                    c2 = Fmadd(xv, Vector256.Load(p + 16), c2);
                    c3 = Fmadd(xv, Vector256.Load(p + 24), c3);
                }

                c0.Store(y + j);
                c1.Store(y + j + 8);
                c2.Store(y + j + 16);
                c3.Store(y + j + 24);
            }

            for (; j + 8 <= n; j += 8)
            {
                var c0 = accumulate ? Vector256.Load(y + j) : Vector256<float>.Zero;
                float* p = b + j;
                for (int kk = 0; kk < k; kk++, p += n)
                {
                    c0 = Fmadd(Vector256.Create(x[kk * csA]), Vector256.Load(p), c0);
                }

                c0.Store(y + j);
            }

            for (; j < n; j++)
            {
                float t = 0f;
                for (int kk = 0; kk < k; kk++)
                {
                    t += x[kk * csA] * b[(kk * n) + j];
                }

                y[j] = accumulate ? y[j] + t : t;
            }
        }
    }

    /// <summary>The floats of <see cref="PackB"/>'s layout of an op(B) of <paramref name="k"/> rows and <paramref name="n"/> columns.</summary>
    public static int PackedLength(int n, int k)
    {
        int width = PanelWidth(n);
        return (n + width - 1) / width * k * width;
    }

    /// <summary>
    /// Packs op(B) ([k,n], or stored [n,k] with <paramref name="transB"/>) the way <see cref="Multiply"/> packs it on every
    /// call, so that a B used many times (a weight between optimizer steps) is packed once for <see cref="MultiplyPacked"/>.
    /// </summary>
    public static void PackB(ReadOnlySpan<float> b, bool transB, int n, int k, Span<float> packed)
    {
        if (n <= 0 || k <= 0 || b.Length < n * k || packed.Length < PackedLength(n, k))
        {
            throw new ArgumentException($"PackB: a {k}x{n} operand needs {n * k} floats and {PackedLength(n, k)} packed floats, got {b.Length} and {packed.Length}.", nameof(b));
        }

        fixed (float* pb = b, pp = packed)
        {
            PackPanels(pb, transB, pp, n, k, PanelWidth(n));
        }
    }

    /// <summary>
    /// <see cref="Multiply"/> with op(B) packed by <see cref="PackB"/>: the same tiles, so the same bits as
    /// <see cref="Multiply"/> for more than four rows on a CPU with 256-bit vectors (elsewhere it takes unpacked paths).
    /// </summary>
    public static void MultiplyPacked(
        ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> packedB, Span<float> c, int m, int n, int k, bool accumulate, WorkerPool? pool = null, bool relu = false)
    {
        if (m <= 0 || n <= 0 || k <= 0 || a.Length < m * k || packedB.Length < PackedLength(n, k) || c.Length < m * n)
        {
            throw new ArgumentException(
                $"MultiplyPacked: a [{m}x{k}]·[{k}x{n}] product needs {m * k}, {PackedLength(n, k)} packed and {m * n} floats, got {a.Length}, {packedB.Length} and {c.Length}.",
                nameof(a));
        }

        fixed (float* pa = a, pb = packedB, pc = c)
        {
            Tiles(pa, transA ? 1 : k, transA ? m : 1, pb, pc, m, n, k, PanelWidth(n), accumulate, relu, pool);
        }
    }

    /// <summary>
    /// <see cref="MultiplyPacked"/> (A not transposed) where A is not stored whole: row i is <paramref name="runs"/> runs of
    /// <paramref name="runLength"/> contiguous floats of <paramref name="source"/>, run r from rowStarts[i] + r·<paramref name="runStride"/>,
    /// so k = runs·runLength. A convolution reads its patch rows in place from a zero-padded image this way, with no patch
    /// matrix written; the tiles are <see cref="MultiplyPacked"/>'s, so the bits are those of the product with A assembled.
    /// </summary>
    public static void MultiplyPackedRows(
        ReadOnlySpan<float> source, ReadOnlySpan<int> rowStarts, int runs, int runStride, int runLength, ReadOnlySpan<float> packedB, Span<float> c, int n, bool accumulate, bool relu = false)
    {
        int m = rowStarts.Length;
        if (m == 0 || n <= 0 || runs <= 0 || runLength <= 0 || runStride < 0)
        {
            throw new ArgumentException($"MultiplyPackedRows: needs rows, columns, runs and a run length, got {m} rows, {n} columns, {runs} runs of {runLength} every {runStride} floats.", nameof(rowStarts));
        }

        int k = runs * runLength;
        long reach = ((long)(runs - 1) * runStride) + runLength;
        foreach (var start in rowStarts)
        {
            if (start < 0 || start + reach > source.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(rowStarts), $"MultiplyPackedRows: a row from {start} spans {reach} floats, outside the {source.Length}-float source.");
            }
        }

        if (packedB.Length < PackedLength(n, k) || c.Length < m * n)
        {
            throw new ArgumentException($"MultiplyPackedRows: a [{m}x{k}]·[{k}x{n}] product needs {PackedLength(n, k)} packed and {m * n} floats, got {packedB.Length} and {c.Length}.", nameof(packedB));
        }

        fixed (float* pa = source, pb = packedB, pc = c)
        fixed (int* ps = rowStarts)
        {
            var work = t_work ??= new GemmWork();
            work.Set(pa, 0, 1, pb, pc, m, n, k, PanelWidth(n), accumulate, relu);
            work.SetRuns(ps, runs, runStride, runLength);
            work.Execute(0, 1);
        }
    }

    /// <summary>Columns per packed panel: 32 on 512-bit vectors when C is wider than one 16-column panel, else 16.</summary>
    private static int PanelWidth(int n) => Avx512F.IsSupported && n > Nr ? WideNr : Nr;

    private static void Packed(float* a, int rsA, int csA, float* b, bool transB, float* c, int m, int n, int k, bool accumulate, bool relu, WorkerPool? pool)
    {
        int width = PanelWidth(n);
        int packLength = PackedLength(n, k);
        var pack = t_pack;
        if (pack is null || pack.Length < packLength)
        {
            pack = new float[Math.Max(packLength, 4096)];
            t_pack = pack;
        }

        fixed (float* bp = pack)
        {
            PackPanels(b, transB, bp, n, k, width);
            Tiles(a, rsA, csA, bp, c, m, n, k, width, accumulate, relu, pool);
        }
    }

    /// <summary>All tiles of C from A and the packed B, split by rows over <paramref name="pool"/> when the product is big enough.</summary>
    private static void Tiles(float* a, int rsA, int csA, float* bp, float* c, int m, int n, int k, int width, bool accumulate, bool relu, WorkerPool? pool)
    {
        var work = t_work ??= new GemmWork();
        work.Set(a, rsA, csA, bp, c, m, n, k, width, accumulate, relu);
        long flops = (long)m * n * k;
        if (pool is null || pool.ThreadCount == 1 || flops < 200_000 || m < 2 * Mr)
        {
            work.Execute(0, 1);
        }
        else
        {
            pool.Run(work, Math.Min((m + Mr - 1) / Mr, 4 * pool.ThreadCount));
        }
    }

    /// <summary>Packs op(B) into panels of <paramref name="width"/> columns, each k rows of width contiguous floats, zero-padded at the edge.</summary>
    private static void PackPanels(float* b, bool transB, float* bp, int n, int k, int width)
    {
        int panels = (n + width - 1) / width;
        for (int p = 0; p < panels; p++)
        {
            int j0 = p * width;
            int nr = Math.Min(width, n - j0);
            float* dst = bp + (p * k * width);
            if (!transB)
            {
                for (int kk = 0; kk < k; kk++)
                {
                    float* src = b + (kk * n) + j0;
                    float* d = dst + (kk * width);
                    if (nr == width)
                    {
                        for (int jb = 0; jb < width; jb += 8)
                        {
                            Vector256.Load(src + jb).Store(d + jb);
                        }
                    }
                    else
                    {
                        for (int jj = 0; jj < width; jj++)
                        {
                            d[jj] = jj < nr ? src[jj] : 0f;
                        }
                    }
                }
            }
            else
            {
                int kk0 = 0;
                if (Avx.IsSupported && nr == width)
                {
                    kk0 = k & ~7;
                    for (int jb = 0; jb < width; jb += 8)
                    {
                        float* src = b + ((j0 + jb) * k);
                        for (int kk = 0; kk < kk0; kk += 8)
                        {
                            Transpose8x8(src + kk, k, dst + (kk * width) + jb, width);
                        }
                    }
                }

                for (int jj = 0; jj < width; jj++)
                {
                    float* src = b + ((j0 + jj) * k);
                    float* d = dst + jj;
                    if (jj < nr)
                    {
                        for (int kk = kk0; kk < k; kk++)
                        {
                            d[kk * width] = src[kk];
                        }
                    }
                    else
                    {
                        for (int kk = kk0; kk < k; kk++)
                        {
                            d[kk * width] = 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Writes the transpose of the 8×8 block at <paramref name="src"/> (row stride <paramref name="ls"/>) to <paramref name="dst"/> (row stride <paramref name="ld"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, int ls, float* dst, int ld)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + ls);
        var r2 = Avx.LoadVector256(src + (2 * ls));
        var r3 = Avx.LoadVector256(src + (3 * ls));
        var r4 = Avx.LoadVector256(src + (4 * ls));
        var r5 = Avx.LoadVector256(src + (5 * ls));
        var r6 = Avx.LoadVector256(src + (6 * ls));
        var r7 = Avx.LoadVector256(src + (7 * ls));
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + ld, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + (2 * ld), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + (3 * ld), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + (4 * ld), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + (5 * ld), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + (6 * ld), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + (7 * ld), Avx.Permute2x128(u3, u7, 0x31));
    }

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

    /// <summary>The arguments of one packed product, split by rows across worker threads; reused per thread.</summary>
    private sealed class GemmWork : IParallelWork
    {
        private float* _a;
        private int _rsA;
        private int _csA;
        private float* _bp;
        private float* _c;
        private int _m;
        private int _n;
        private int _k;
        private int _width;
        private bool _accumulate;
        private bool _relu;

        private int* _rowStarts;
        private int _runs;
        private int _runStride;
        private int _runLength;

        /// <summary>Sets a stored A (rows <paramref name="rsA"/> apart), or with <see cref="SetRuns"/> after it, the source of A's runs.</summary>
        public void Set(float* a, int rsA, int csA, float* bp, float* c, int m, int n, int k, int width, bool accumulate, bool relu)
        {
            _rowStarts = null;
            _a = a;
            _rsA = rsA;
            _csA = csA;
            _bp = bp;
            _c = c;
            _m = m;
            _n = n;
            _k = k;
            _width = width;
            _accumulate = accumulate;
            _relu = relu;
        }

        /// <summary>Reads row i of A as runs from _a + rowStarts[i] (see <see cref="MultiplyPackedRows"/>).</summary>
        public void SetRuns(int* rowStarts, int runs, int runStride, int runLength)
        {
            _rowStarts = rowStarts;
            _runs = runs;
            _runStride = runStride;
            _runLength = runLength;
        }

        public void Execute(int part, int partCount)
        {
            int blocks = (_m + Mr - 1) / Mr;
            int first = (int)((long)blocks * part / partCount);
            int last = (int)((long)blocks * (part + 1) / partCount);
            int panels = (_n + _width - 1) / _width;
            for (int p = 0; p < panels; p++)
            {
                int j0 = p * _width;
                int nr = Math.Min(_width, _n - j0);
                float* bp = _bp + (p * _k * _width);
                for (int blk = first; blk < last; blk++)
                {
                    int i0 = blk * Mr;
                    int mr = Math.Min(Mr, _m - i0);
                    var rows = _rowStarts is null
                        ? new TileA(_a + (i0 * _rsA), _rsA, mr, _csA, _k)
                        : new TileA(_a, _rowStarts + i0, mr, _runs, _runStride, _runLength);
                    Tile(rows, mr, bp, _c + (i0 * _n) + j0, _n, nr, _width, _accumulate, _relu);
                }
            }
        }
    }
}
