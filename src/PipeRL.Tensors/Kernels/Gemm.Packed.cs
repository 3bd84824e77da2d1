using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Tensors.Kernels;

/// <summary>The packed path: B packed into column panels once, then register tiles over them, rows split over a pool.</summary>
public static unsafe partial class Gemm
{
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

    /// <summary>
    /// Packs op(B) and computes every tile; split over <paramref name="pool"/>, each thread packs B into its own buffer first.
    /// </summary>
    /// <remarks>
    /// Each thread its own copy, not one packed by the caller for all: a worker then read every panel just written by the
    /// other core, and on the 2-vCPU Zen 5 host a [256x256]·[256x256] product took 137 µs on two threads against 167 µs on
    /// one, where the same product with B packed beforehand took 89 µs (a [64x256]·[256x256] one: 70 µs against 55 µs
    /// on one thread; prepacked, 25 µs). Packing is a copy, so the bits are the same either way.
    /// </remarks>
    private static void Packed(float* a, int rsA, int csA, float* b, bool transB, float* c, int m, int n, int k, bool accumulate, bool relu, WorkerPool? pool)
    {
        int width = PanelWidth(n);
        if (SplitsRows(pool, m, n, k))
        {
            var work = t_work ??= new GemmWork();
            work.SetPackedByEachThread(a, rsA, csA, b, transB, c, m, n, k, width, accumulate, relu, Interlocked.Increment(ref s_splitProducts));
            pool!.Run(work, RowChunks(pool, m));
            return;
        }

        fixed (float* bp = PackBuffer(PackedLength(n, k)))
        {
            PackPanels(b, transB, bp, n, k, width);
            Tiles(a, rsA, csA, bp, c, m, n, k, width, accumulate, relu, pool: null);
        }
    }

    /// <summary>
    /// Grows this thread's packing buffer to what <see cref="Multiply"/> needs for a product of <paramref name="n"/> columns
    /// over <paramref name="k"/>, and creates its tile work, so that a chunk of split work that runs such a product on this
    /// thread for the first time allocates nothing: the caller of a split can take over any chunk of a late worker.
    /// </summary>
    internal static void PrepareThread(int n, int k)
    {
        t_work ??= new GemmWork();
        PackBuffer(PackedLength(n, k));
    }

    /// <summary>This thread's packing buffer, grown to at least <paramref name="length"/> floats.</summary>
    private static float[] PackBuffer(int length)
    {
        var pack = t_pack;
        if (pack is null || pack.Length < length)
        {
            pack = new float[Math.Max(length, 4096)];
            t_pack = pack;
        }

        return pack;
    }

    /// <summary>All tiles of C from A and the packed B, split by rows over <paramref name="pool"/> when the product is big enough.</summary>
    private static void Tiles(float* a, int rsA, int csA, float* bp, float* c, int m, int n, int k, int width, bool accumulate, bool relu, WorkerPool? pool)
    {
        var work = t_work ??= new GemmWork();
        work.Set(a, rsA, csA, bp, c, m, n, k, width, accumulate, relu);
        if (SplitsRows(pool, m, n, k))
        {
            pool!.Run(work, RowChunks(pool, m));
        }
        else
        {
            work.Execute(0, 1);
        }
    }

    /// <summary>Whether a product is big enough to split by rows over <paramref name="pool"/>.</summary>
    /// <remarks>
    /// Not below k = 48: a product with few multiply-adds per element of C mostly stores C, and a split one stores rows that
    /// the other core wrote last time. On the 2-vCPU Zen 5 host (one run each, 1 thread against 2): [256x6]·[6x256] 10.7
    /// against 20.2 µs, k = 17 13.6 against 18.8 µs, k = 32 25.6 against 21.9 µs (but [64x32]·[32x256] 6.7 against
    /// 7.7 µs), k = 64 41.3 against 25.8 µs; [256x256]·[256x6] 16.0 against 13.0 µs.
    /// </remarks>
    private static bool SplitsRows(WorkerPool? pool, int m, int n, int k) =>
        pool is not null && pool.ThreadCount > 1 && (long)m * n * k >= 300_000 && k >= 48 && m >= 2 * Mr;

    /// <summary>The row chunks of a split product: blocks of <see cref="Mr"/> rows, up to four per thread.</summary>
    private static int RowChunks(WorkerPool pool, int m) => Math.Min((m + Mr - 1) / Mr, 4 * pool.ThreadCount);

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
}
