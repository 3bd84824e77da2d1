using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Tensors.Kernels;

/// <summary>
/// Sparse-input products for small-batch inference: y = b + Σ over the nonzero x_i of x_i·Wᵀ[i, :] on a transposed
/// weight Wᵀ [in, out], so only the weight rows of nonzero inputs (ReLU outputs, binary observations) are read.
/// </summary>
/// <remarks>
/// Every output column sums its terms in the order given, each with one fused multiply-add, on every path (256-bit,
/// 8-wide and scalar): splitting the columns over threads gives the same bits, and skipping a zero input gives the
/// bits of the dense sum in the same order (adding 0·w changes nothing, signed zeros aside).
/// </remarks>
public static unsafe class SparseGemv
{
    /// <summary>Columns per panel of <see cref="TransposeToPanels"/>: one block of eight 256-bit registers.</summary>
    public const int PanelWidth = Block;

    private const int Block = 64;
    private const int WideBlock = 256;
    private const int PrefetchAhead = 6;

    /// <summary>
    /// Writes x's nonzero values and their weight-row offsets (index · <paramref name="rowLength"/> + <paramref name="offset"/>)
    /// in ascending index order; returns how many there are.
    /// </summary>
    public static int Gather(ReadOnlySpan<float> x, Span<float> values, Span<int> rowOffsets, int rowLength, int offset = 0)
    {
        if (values.Length < x.Length || rowOffsets.Length < x.Length)
        {
            throw new ArgumentException($"Gather: {x.Length} inputs need as many value and offset slots, got {values.Length} and {rowOffsets.Length}.", nameof(values));
        }

        fixed (float* px = x, pv = values)
        fixed (int* po = rowOffsets)
        {
            return GatherInto(px, x.Length, pv, po, rowLength, offset);
        }
    }

    /// <summary><see cref="Gather"/> on pinned operands, each sized by the caller.</summary>
    private static int GatherInto(float* x, int length, float* values, int* rowOffsets, int rowLength, int offset)
    {
        int count = 0;
        int i = 0;
        if (Avx512F.IsSupported)
        {
            // Branch-free: each group of 16 is compressed to its nonzero lanes in registers and stored whole (count <= i, so
            // the 16 stored lanes stay inside the buffers); bit-by-bit extraction mispredicts on every new input.
            var rows = (Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * rowLength) + Vector512.Create(offset);
            var step = Vector512.Create(16 * rowLength);
            for (; i + 16 <= length; i += 16, rows += step)
            {
                var v = Vector512.Load(x + i);
                var nonzero = ~Vector512.Equals(v, Vector512<float>.Zero);
                Avx512F.Compress(Vector512<float>.Zero, nonzero, v).Store(values + count);
                Avx512F.Compress(Vector512<int>.Zero, nonzero.AsInt32(), rows).Store(rowOffsets + count);
                count += System.Numerics.BitOperations.PopCount(nonzero.ExtractMostSignificantBits());
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            // Skip all-zero groups of 8 with one compare; most inputs of a ReLU layer or a MinAtar frame are zero.
            for (; i + 8 <= length; i += 8)
            {
                uint mask = Vector256.Equals(Vector256.Load(x + i), Vector256<float>.Zero).ExtractMostSignificantBits() ^ 0xFFu;
                while (mask != 0)
                {
                    int j = i + System.Numerics.BitOperations.TrailingZeroCount(mask);
                    values[count] = x[j];
                    rowOffsets[count++] = (j * rowLength) + offset;
                    mask &= mask - 1;
                }
            }
        }

        for (; i < length; i++)
        {
            if (x[i] != 0f)
            {
                values[count] = x[i];
                rowOffsets[count++] = (i * rowLength) + offset;
            }
        }

        return count;
    }

    /// <summary>
    /// y[c] += Σ_j values[j] · wt[rowOffsets[j] + c] for the columns c in [<paramref name="from"/>, <paramref name="to"/>),
    /// terms in order j = 0, 1, ..., each a fused multiply-add.
    /// </summary>
    public static void Accumulate(ReadOnlySpan<float> values, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<float> wt, Span<float> y, int from, int to) =>
        Accumulate(values, rowOffsets, wt, y, y, from, to);

    /// <summary>
    /// y[c] = initial[c] + Σ_j values[j] · wt[rowOffsets[j] + c] for the columns c in [<paramref name="from"/>,
    /// <paramref name="to"/>), in the order and bits of <see cref="Accumulate(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, Span{float}, int, int)"/>
    /// on y = initial; <paramref name="initial"/> (a bias) may be y itself.
    /// </summary>
    /// <remarks>
    /// The sums start in registers from <paramref name="initial"/>: copying a bias into y and loading it back cost 0.25 µs per
    /// 256-wide batch-1 layer on Zen 5 (the wide loads wait for the copy's stores to reach the cache), a sixth of the layer.
    /// </remarks>
    public static void Accumulate(ReadOnlySpan<float> values, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<float> wt, ReadOnlySpan<float> initial, Span<float> y, int from, int to)
    {
        int count = Math.Min(values.Length, rowOffsets.Length);
        if (from < 0 || to > y.Length || to > initial.Length || from > to)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"Accumulate: columns [{from}, {to}) are not inside the {y.Length} outputs and {initial.Length} initial values.");
        }

        int bad = OutsideOffset(rowOffsets[..count], wt.Length - to);
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowOffsets), $"Accumulate: row offset {rowOffsets[bad]} + {to} columns is outside the {wt.Length}-float weight.");
        }

        fixed (float* pv = values, pw = wt, pi = initial, py = y)
        fixed (int* po = rowOffsets)
        {
            AccumulateUnchecked(pv, po, count, pw, pi, py, from, to);
        }
    }

    /// <summary>Transposes <paramref name="w"/> [rows, cols] into <paramref name="wt"/> [cols, rows], in cache-sized tiles.</summary>
    public static void Transpose(ReadOnlySpan<float> w, int rows, int cols, Span<float> wt)
    {
        if (w.Length < rows * cols || wt.Length < rows * cols)
        {
            throw new ArgumentException($"Transpose: a {rows}x{cols} matrix needs {rows * cols} floats, got {w.Length} and {wt.Length}.", nameof(w));
        }

        const int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile)
        {
            int r1 = Math.Min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile)
            {
                int c1 = Math.Min(cols, c0 + tile);
                for (int r = r0; r < r1; r++)
                {
                    for (int c = c0; c < c1; c++)
                    {
                        wt[(c * rows) + r] = w[(r * cols) + c];
                    }
                }
            }
        }
    }

    /// <summary>The floats of <see cref="TransposeToPanels"/>'s layout of a [rows, cols] weight: rows rounded up to whole panels, times cols.</summary>
    public static int PanelLength(int rows, int cols) => (rows + PanelWidth - 1) / PanelWidth * PanelWidth * cols;

    /// <summary>
    /// Writes <paramref name="w"/> [rows, cols] transposed in panels of 64 rows: Wᵀ[i, (64·b) + c] at ((b · cols) + i) · 64 + c,
    /// zero past the last row, so that a panel's entries for consecutive inputs i lie next to each other.
    /// </summary>
    public static void TransposeToPanels(ReadOnlySpan<float> w, int rows, int cols, Span<float> panels)
    {
        if (w.Length < rows * cols || panels.Length < PanelLength(rows, cols))
        {
            throw new ArgumentException($"TransposeToPanels: a {rows}x{cols} matrix needs {rows * cols} floats and {PanelLength(rows, cols)} panel floats, got {w.Length} and {panels.Length}.", nameof(w));
        }

        panels[..PanelLength(rows, cols)].Clear();
        for (int r = 0; r < rows; r++)
        {
            var panel = panels[(r / PanelWidth * PanelWidth * cols)..];
            int c = r % PanelWidth;
            var row = w.Slice(r * cols, cols);
            for (int i = 0; i < cols; i++)
            {
                panel[(i * PanelWidth) + c] = row[i];
            }
        }
    }

    /// <summary>
    /// <see cref="Accumulate(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, Span{float}, int, int)"/> on the panel layout of <see cref="TransposeToPanels"/> (same terms, order and bits), with
    /// <paramref name="inputs"/> rows per panel and rowOffsets[j] = i_j · <see cref="PanelWidth"/>; <paramref name="from"/> is a
    /// multiple of <see cref="PanelWidth"/>. Each panel's 64 sums stay in registers over all terms, and the rows of nearby
    /// inputs are read from one stretch of memory (the plain layout reads a short piece of each long row).
    /// <paramref name="descending"/> runs the panels from the last to the first, with the same bits (each panel's sums are
    /// its own): a caller that alternates the direction starts each pass on the panels the previous pass left in cache.
    /// </summary>
    public static void AccumulatePanels(ReadOnlySpan<float> values, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<float> panels, int inputs, Span<float> y, int from, int to, bool descending = false) =>
        AccumulatePanels(values, rowOffsets, panels, inputs, y, y, from, to, descending);

    /// <summary>
    /// <see cref="AccumulatePanels(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, int, Span{float}, int, int, bool)"/>
    /// with the sums starting from <paramref name="initial"/> (a bias, or y itself) instead of y: y[c] = initial[c] + Σ ..., same bits.
    /// </summary>
    public static void AccumulatePanels(ReadOnlySpan<float> values, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<float> panels, int inputs, ReadOnlySpan<float> initial, Span<float> y, int from, int to, bool descending = false)
    {
        int count = Math.Min(values.Length, rowOffsets.Length);
        if (from < 0 || to > y.Length || to > initial.Length || from > to || from % PanelWidth != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"AccumulatePanels: columns [{from}, {to}) are not a panel-aligned range inside the {y.Length} outputs and {initial.Length} initial values.");
        }

        if (inputs < 0 || panels.Length < PanelLength(y.Length, inputs))
        {
            throw new ArgumentException($"AccumulatePanels: {y.Length} outputs of {inputs} inputs need {PanelLength(y.Length, inputs)} panel floats, got {panels.Length}.", nameof(panels));
        }

        int bad = OutsideOffset(rowOffsets[..count], (inputs - 1) * PanelWidth);
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowOffsets), $"AccumulatePanels: row offset {rowOffsets[bad]} is outside the {inputs} rows of a panel.");
        }

        long panelLength = (long)inputs * PanelWidth;
        float* block = stackalloc float[PanelWidth];
        fixed (float* pv = values, pw = panels, pi = initial, py = y)
        fixed (int* po = rowOffsets)
        {
            int panelCount = (to - from + PanelWidth - 1) / PanelWidth;
            for (int p = 0; p < panelCount; p++)
            {
                int c = from + ((descending ? panelCount - 1 - p : p) * PanelWidth);
                float* panel = pw + (c / PanelWidth * panelLength);
                int width = Math.Min(PanelWidth, to - c);
                if (Vector256.IsHardwareAccelerated && width == PanelWidth)
                {
                    AccumulateBlock(pv, po, count, panel, pi + c, py + c);
                }
                else if (Vector256.IsHardwareAccelerated)
                {
                    // A last, narrower panel: its padding columns are summed in a scratch block and dropped.
                    new Span<float>(block, PanelWidth).Clear();
                    new Span<float>(pi + c, width).CopyTo(new Span<float>(block, PanelWidth));
                    AccumulateBlock(pv, po, count, panel, block, block);
                    new Span<float>(block, width).CopyTo(new Span<float>(py + c, width));
                }
                else
                {
                    for (int k = 0; k < width; k++)
                    {
                        float acc = pi[c + k];
                        for (int j = 0; j < count; j++)
                        {
                            acc = MathF.FusedMultiplyAdd(pv[j], panel[po[j] + k], acc);
                        }

                        py[c + k] = acc;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The index of the first offset outside [0, <paramref name="last"/>], or -1: vector minimum and maximum first (a
    /// 3200-input layer checks ~1,800 offsets on every call; one by one that took ~1 µs of a batch-1 tick).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int OutsideOffset(ReadOnlySpan<int> rowOffsets, int last)
    {
        int j = 0;
        int min = int.MaxValue;
        int max = int.MinValue;
        if (Vector256.IsHardwareAccelerated && rowOffsets.Length >= 8)
        {
            var low = Vector256.Create(int.MaxValue);
            var high = Vector256.Create(int.MinValue);
            for (; j + 8 <= rowOffsets.Length; j += 8)
            {
                var v = Vector256.Create(rowOffsets.Slice(j, 8));
                low = Vector256.Min(low, v);
                high = Vector256.Max(high, v);
            }

            for (int lane = 0; lane < 8; lane++)
            {
                min = Math.Min(min, low[lane]);
                max = Math.Max(max, high[lane]);
            }
        }

        for (; j < rowOffsets.Length; j++)
        {
            min = Math.Min(min, rowOffsets[j]);
            max = Math.Max(max, rowOffsets[j]);
        }

        if (min >= 0 && max <= last)
        {
            return -1;
        }

        for (j = 0; ; j++)
        {
            if (rowOffsets[j] < 0 || rowOffsets[j] > last)
            {
                return j;
            }
        }
    }

    /// <summary>The initial-value <see cref="Accumulate(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int)"/> without bounds checks, for callers that sized every operand.</summary>
    private static void AccumulateUnchecked(float* values, int* rowOffsets, int count, float* wt, float* initial, float* y, int from, int to)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            for (; from + WideBlock <= to; from += WideBlock)
            {
                AccumulateWide(values, rowOffsets, count, wt + from, initial + from, y + from);
            }

            if (from == to)
            {
                // Nothing left for the narrower paths, whose loop over the terms would only prefetch rows.
                return;
            }
        }

        if (Vector256.IsHardwareAccelerated && to - from == Block)
        {
            // One block of columns (a conv's output channels): the sums stay in registers over all terms.
            AccumulateBlock(values, rowOffsets, count, wt + from, initial + from, y + from);
            return;
        }

        if (initial != y)
        {
            // The narrower paths below sum in y.
            new Span<float>(initial + from, to - from).CopyTo(new Span<float>(y + from, to - from));
        }

        int c = from;
        if (Vector256.IsHardwareAccelerated)
        {
            // Wide outputs: stream each weight row whole, four rows at a time, the sums in y (in L1) between groups.
            int vectorEnd = from + ((to - from) & ~7);
            int j = 0;
            for (; j + 4 <= count; j += 4)
            {
                if (Sse.IsSupported && j + 8 <= count)
                {
                    // The next group's rows are elsewhere in memory: start fetching their first lines now.
                    Sse.Prefetch0(wt + rowOffsets[j + 4] + from);
                    Sse.Prefetch0(wt + rowOffsets[j + 5] + from);
                    Sse.Prefetch0(wt + rowOffsets[j + 6] + from);
                    Sse.Prefetch0(wt + rowOffsets[j + 7] + from);
                }

                var x0 = Vector256.Create(values[j]);
                var x1 = Vector256.Create(values[j + 1]);
                var x2 = Vector256.Create(values[j + 2]);
                var x3 = Vector256.Create(values[j + 3]);
                float* w0 = wt + rowOffsets[j];
                float* w1 = wt + rowOffsets[j + 1];
                float* w2 = wt + rowOffsets[j + 2];
                float* w3 = wt + rowOffsets[j + 3];
                for (c = from; c < vectorEnd; c += 8)
                {
                    var acc = Vector256.Load(y + c);
                    acc = Vector256.FusedMultiplyAdd(x0, Vector256.Load(w0 + c), acc);
                    acc = Vector256.FusedMultiplyAdd(x1, Vector256.Load(w1 + c), acc);
                    acc = Vector256.FusedMultiplyAdd(x2, Vector256.Load(w2 + c), acc);
                    acc = Vector256.FusedMultiplyAdd(x3, Vector256.Load(w3 + c), acc);
                    acc.Store(y + c);
                }
            }

            for (; j < count; j++)
            {
                var x = Vector256.Create(values[j]);
                float* w = wt + rowOffsets[j];
                for (c = from; c < vectorEnd; c += 8)
                {
                    Vector256.FusedMultiplyAdd(x, Vector256.Load(w + c), Vector256.Load(y + c)).Store(y + c);
                }
            }

            c = vectorEnd;
        }

        for (; c < to; c++)
        {
            float acc = y[c];
            for (int j = 0; j < count; j++)
            {
                acc = MathF.FusedMultiplyAdd(values[j], wt[rowOffsets[j] + c], acc);
            }

            y[c] = acc;
        }
    }

    /// <summary>
    /// 256 columns in sixteen 512-bit registers from <paramref name="initial"/> over all terms into <paramref name="y"/>, each
    /// weight row read once and whole. Against four rows at a time with the sums in y (256x256 on Zen 5, batch 1): 1.7
    /// against 2.3 µs for a dense input, 0.09 against 0.18 µs at 10 % nonzero; no prefetch, which measured slower here (the
    /// rows run forward, and the hardware follows them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateWide(float* values, int* rowOffsets, int count, float* wt, float* initial, float* y)
    {
        var a0 = Vector512.Load(initial);
        var a1 = Vector512.Load(initial + 16);
        var a2 = Vector512.Load(initial + 32);
        var a3 = Vector512.Load(initial + 48);
        var a4 = Vector512.Load(initial + 64);
        var a5 = Vector512.Load(initial + 80);
        var a6 = Vector512.Load(initial + 96);
        var a7 = Vector512.Load(initial + 112);
        var a8 = Vector512.Load(initial + 128);
        var a9 = Vector512.Load(initial + 144);
        var a10 = Vector512.Load(initial + 160);
        var a11 = Vector512.Load(initial + 176);
        var a12 = Vector512.Load(initial + 192);
        var a13 = Vector512.Load(initial + 208);
        var a14 = Vector512.Load(initial + 224);
        var a15 = Vector512.Load(initial + 240);
        for (int j = 0; j < count; j++)
        {
            var x = Vector512.Create(values[j]);
            float* w = wt + rowOffsets[j];
            a0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w), a0);
            a1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 16), a1);
            a2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 32), a2);
            a3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 48), a3);
            a4 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 64), a4);
            a5 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 80), a5);
            a6 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 96), a6);
            a7 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 112), a7);
            a8 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 128), a8);
            a9 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 144), a9);
            a10 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 160), a10);
            a11 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 176), a11);
            a12 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 192), a12);
            a13 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 208), a13);
            a14 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 224), a14);
            a15 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + 240), a15);
        }

        a0.Store(y);
        a1.Store(y + 16);
        a2.Store(y + 32);
        a3.Store(y + 48);
        a4.Store(y + 64);
        a5.Store(y + 80);
        a6.Store(y + 96);
        a7.Store(y + 112);
        a8.Store(y + 128);
        a9.Store(y + 144);
        a10.Store(y + 160);
        a11.Store(y + 176);
        a12.Store(y + 192);
        a13.Store(y + 208);
        a14.Store(y + 224);
        a15.Store(y + 240);
    }

    /// <summary>64 columns in eight registers from <paramref name="initial"/> over all terms into <paramref name="y"/>; the weight rows of later terms are prefetched.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateBlock(float* values, int* rowOffsets, int count, float* wt, float* initial, float* y)
    {
        var a0 = Vector256.Load(initial);
        var a1 = Vector256.Load(initial + 8);
        var a2 = Vector256.Load(initial + 16);
        var a3 = Vector256.Load(initial + 24);
        var a4 = Vector256.Load(initial + 32);
        var a5 = Vector256.Load(initial + 40);
        var a6 = Vector256.Load(initial + 48);
        var a7 = Vector256.Load(initial + 56);
        for (int j = 0; j < count; j++)
        {
            if (Sse.IsSupported && j + PrefetchAhead < count)
            {
                // The rows of a sparse input jump around: the hardware prefetcher cannot guess the next one.
                float* next = wt + rowOffsets[j + PrefetchAhead];
                Sse.Prefetch0(next);
                Sse.Prefetch0(next + 16);
                Sse.Prefetch0(next + 32);
                Sse.Prefetch0(next + 48);
            }

            var x = Vector256.Create(values[j]);
            float* w = wt + rowOffsets[j];
            a0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w), a0);
            a1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w + 8), a1);
            a2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w + 16), a2);
            a3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w + 24), a3);
            a4 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w + 32), a4);
            a5 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w + 40), a5);
            a6 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w + 48), a6);
            a7 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w + 56), a7);
        }

        a0.Store(y);
        a1.Store(y + 8);
        a2.Store(y + 16);
        a3.Store(y + 24);
        a4.Store(y + 32);
        a5.Store(y + 40);
        a6.Store(y + 48);
        a7.Store(y + 56);
    }
}
