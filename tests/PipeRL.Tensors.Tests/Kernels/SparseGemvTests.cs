using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors.Tests.Kernels;

public sealed class SparseGemvTests
{
    public static TheoryData<int, int, double> Sizes => new()
    {
        { 1, 1, 1.0 }, { 5, 7, 0.5 }, { 9, 8, 0.3 }, { 17, 63, 0.5 }, { 33, 64, 0.4 }, { 40, 65, 0.6 }, { 70, 200, 0.2 },
        { 31, 515, 0.5 }, { 100, 512, 1.0 }, { 100, 512, 0.0 }, { 13, 72, 0.05 }, { 60, 256, 0.5 }, { 20, 400, 0.8 },
    };

    private static (float[] X, float[] Wt, float[] B) Operands(int inputs, int outputs, double density, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var x = new float[inputs];
        for (var i = 0; i < inputs; i++)
        {
            x[i] = rng.NextDouble() < density ? rng.NextFloat() + 0.1f : 0f;
        }

        var wt = new float[inputs * outputs];
        var b = new float[outputs];
        rng.FillUniform(wt, -1, 1);
        rng.FillUniform(b, -1, 1);
        return (x, wt, b);
    }

    /// <summary>The dense sum in input order, every input (zeros too), one fused multiply-add each.</summary>
    private static float[] DenseAxpy(float[] x, float[] wt, float[] b)
    {
        var y = (float[])b.Clone();
        for (var c = 0; c < y.Length; c++)
        {
            for (var i = 0; i < x.Length; i++)
            {
                y[c] = MathF.FusedMultiplyAdd(x[i], wt[(i * y.Length) + c], y[c]);
            }
        }

        return y;
    }

    private static float[] Sparse(float[] x, float[] wt, float[] b, int from, int to, float[]? into = null)
    {
        var n = b.Length;
        var values = new float[x.Length];
        var offsets = new int[x.Length];
        var count = SparseGemv.Gather(x, values, offsets, n);
        var y = into ?? (float[])b.Clone();
        SparseGemv.Accumulate(values.AsSpan(0, count), offsets.AsSpan(0, count), wt, y, from, to);
        return y;
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(7, 0.5)]
    [InlineData(16, 1.0)]
    [InlineData(33, 0.4)]
    [InlineData(100, 0.6)]
    [InlineData(6400, 0.44)]
    public void GatherListsTheNonzeroInputsInOrderAndWritesNothingPastThem(int inputs, double density)
    {
        var (x, _, _) = Operands(inputs, 0, density, (ulong)inputs + 11);
        if (inputs > 5)
        {
            // Signed zeros are skipped like zeros; a NaN is kept, as x != 0 says.
            x[1] = -0f;
            x[3] = float.NaN;
            x[5] = -2.5f;
        }

        const int sentinels = 32;
        var values = Enumerable.Repeat(-7f, inputs + sentinels).ToArray();
        var offsets = Enumerable.Repeat(-7, inputs + sentinels).ToArray();

        var count = SparseGemv.Gather(x, values.AsSpan(0, inputs), offsets.AsSpan(0, inputs), 5, 3);

        var expected = Enumerable.Range(0, inputs).Where(i => x[i] != 0f).ToArray();
        Assert.Equal(expected.Length, count);
        Assert.Equal(expected.Select(i => x[i]), values.Take(count));
        Assert.Equal(expected.Select(i => (i * 5) + 3), offsets.Take(count));
        Assert.All(values.Skip(inputs), v => Assert.Equal(-7f, v));
        Assert.All(offsets.Skip(inputs), o => Assert.Equal(-7, o));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SkippingZeroInputsGivesTheDenseSumsBits(int inputs, int outputs, double density)
    {
        var (x, wt, b) = Operands(inputs, outputs, density, (ulong)((inputs * 1000) + outputs));

        var expected = DenseAxpy(x, wt, b);
        var actual = Sparse(x, wt, b, 0, outputs);

        Assert.Equal(expected, actual);
        if (x.Any(v => v != 0))
        {
            Assert.NotEqual(b, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ColumnSharesGiveTheWholesBits(int inputs, int outputs, double density)
    {
        var (x, wt, b) = Operands(inputs, outputs, density, 3);
        var whole = Sparse(x, wt, b, 0, outputs);

        foreach (var cut in new[] { 1, outputs / 3, 64, outputs - 1 }.Where(c => c > 0 && c < outputs))
        {
            var shares = (float[])b.Clone();
            Sparse(x, wt, b, cut, outputs, shares);
            Sparse(x, wt, b, 0, cut, shares);
            Assert.Equal(whole, shares);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void StartingFromABiasGivesTheBitsOfAddingToACopyOfItAndWritesOnlyTheShare(int inputs, int outputs, double density)
    {
        var (x, wt, b) = Operands(inputs, outputs, density, 7);
        var expected = Sparse(x, wt, b, 0, outputs);
        var values = new float[inputs];
        var offsets = new int[inputs];
        var count = SparseGemv.Gather(x, values, offsets, outputs);
        var cut = outputs / 3;

        var y = Enumerable.Repeat(float.NaN, outputs).ToArray();
        SparseGemv.Accumulate(values.AsSpan(0, count), offsets.AsSpan(0, count), wt, b, y, cut, outputs);
        Assert.All(y.Take(cut), v => Assert.True(float.IsNaN(v)));
        SparseGemv.Accumulate(values.AsSpan(0, count), offsets.AsSpan(0, count), wt, b, y, 0, cut);
        Assert.Equal(expected, y);

        var w = new float[wt.Length];
        SparseGemv.Transpose(wt, inputs, outputs, w);
        var panels = new float[SparseGemv.PanelLength(outputs, inputs)];
        SparseGemv.TransposeToPanels(w, outputs, inputs, panels);
        count = SparseGemv.Gather(x, values, offsets, SparseGemv.PanelWidth);
        var panelCut = outputs > SparseGemv.PanelWidth ? SparseGemv.PanelWidth : 0;
        var fromPanels = Enumerable.Repeat(float.NaN, outputs).ToArray();
        SparseGemv.AccumulatePanels(values.AsSpan(0, count), offsets.AsSpan(0, count), panels, inputs, b, fromPanels, panelCut, outputs);
        Assert.All(fromPanels.Take(panelCut), v => Assert.True(float.IsNaN(v)));
        SparseGemv.AccumulatePanels(values.AsSpan(0, count), offsets.AsSpan(0, count), panels, inputs, b, fromPanels, 0, panelCut, descending: true);
        Assert.Equal(expected, fromPanels);
    }

    [Fact]
    public void AnInitialShorterThanTheColumnsIsRefused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SparseGemv.Accumulate([1f], [0], new float[8], new float[4], new float[8], 0, 8));
        Assert.Contains("4 initial values", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The sparse sum on the panel layout of w = (wt)ᵀ, columns [from, to) added to <paramref name="into"/>.</summary>
    private static float[] SparsePanels(float[] x, float[] wt, float[] b, int from, int to, float[]? into = null, bool descending = false)
    {
        var n = b.Length;
        var w = new float[wt.Length];
        SparseGemv.Transpose(wt, x.Length, n, w);
        var panels = new float[SparseGemv.PanelLength(n, x.Length)];
        SparseGemv.TransposeToPanels(w, n, x.Length, panels);
        var values = new float[x.Length];
        var offsets = new int[x.Length];
        var count = SparseGemv.Gather(x, values, offsets, SparseGemv.PanelWidth);
        var y = into ?? (float[])b.Clone();
        SparseGemv.AccumulatePanels(values.AsSpan(0, count), offsets.AsSpan(0, count), panels, x.Length, y, from, to, descending);
        return y;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void PanelsGiveThePlainLayoutsBits(int inputs, int outputs, double density)
    {
        var (x, wt, b) = Operands(inputs, outputs, density, (ulong)((inputs * 1000) + outputs));

        var expected = Sparse(x, wt, b, 0, outputs);
        var actual = SparsePanels(x, wt, b, 0, outputs);

        Assert.Equal(expected, actual);
        Assert.Equal(DenseAxpy(x, wt, b), actual);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void PanelsLastToFirstGiveTheSameBits(int inputs, int outputs, double density)
    {
        var (x, wt, b) = Operands(inputs, outputs, density, 9);

        Assert.Equal(SparsePanels(x, wt, b, 0, outputs), SparsePanels(x, wt, b, 0, outputs, descending: true));
        if (outputs > 64)
        {
            Assert.Equal(SparsePanels(x, wt, b, 64, outputs), SparsePanels(x, wt, b, 64, outputs, descending: true));
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void PanelSharesGiveTheWholesBits(int inputs, int outputs, double density)
    {
        var (x, wt, b) = Operands(inputs, outputs, density, 5);
        var whole = SparsePanels(x, wt, b, 0, outputs);

        foreach (var cut in new[] { 64, 128, 256, 448 }.Where(c => c < outputs))
        {
            var shares = (float[])b.Clone();
            SparsePanels(x, wt, b, cut, outputs, shares);
            SparsePanels(x, wt, b, 0, cut, shares);
            Assert.Equal(whole, shares);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(70, 3)]
    [InlineData(64, 5)]
    [InlineData(130, 9)]
    public void TransposeToPanelsPutsEachOutputInItsPanelAndPadsWithZeros(int rows, int cols)
    {
        var w = new float[rows * cols];
        new SeededRandom(10).FillUniform(w, -1, 1);
        var panels = new float[SparseGemv.PanelLength(rows, cols)];
        panels.AsSpan().Fill(float.NaN);

        SparseGemv.TransposeToPanels(w, rows, cols, panels);

        var width = SparseGemv.PanelWidth;
        for (var r = 0; r < (rows + width - 1) / width * width; r++)
        {
            for (var i = 0; i < cols; i++)
            {
                var at = (((r / width * cols) + i) * width) + (r % width);
                Assert.Equal(r < rows ? w[(r * cols) + i] : 0f, panels[at]);
            }
        }
    }

    [Fact]
    public void APanelShareThatStartsInsideAPanelIsRefused()
    {
        var y = new float[128];
        var panels = new float[SparseGemv.PanelLength(128, 2)];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SparseGemv.AccumulatePanels([1f], [0], panels, 2, y, 32, 128));
        Assert.Contains("panel-aligned", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GatherListsNonzeroInputsInOrderWithTheirRowOffsets()
    {
        float[] x = [0, 2, 0, 0, 0, 0, 0, 0, 0, -3, 0, 0, 0, 0, 0, 0, 0, 5, 0];
        var values = new float[x.Length];
        var offsets = new int[x.Length];

        var count = SparseGemv.Gather(x, values, offsets, 10, 4);

        Assert.Equal(3, count);
        Assert.Equal([2f, -3f, 5f], values[..3]);
        Assert.Equal([14, 94, 174], offsets[..3]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 70)]
    [InlineData(33, 31)]
    [InlineData(64, 65)]
    public void TransposeSwapsRowsAndColumns(int rows, int cols)
    {
        var w = new float[rows * cols];
        new SeededRandom(9).FillUniform(w, -1, 1);
        var wt = new float[rows * cols];

        SparseGemv.Transpose(w, rows, cols, wt);

        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                Assert.Equal(w[(r * cols) + c], wt[(c * rows) + r]);
            }
        }
    }

    [Fact]
    public void AnOffsetOutsideTheWeightIsRefused()
    {
        var y = new float[8];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SparseGemv.Accumulate([1f], [10], new float[16], y, 0, 8));
        Assert.Contains("outside the 16-float weight", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(13, 9)] // one past the last row, among vector-checked offsets
    [InlineData(3, -1)]
    [InlineData(18, 1000)] // in the scalar tail
    public void AnyOffsetOutsideIsRefusedAndNamed(int at, int row)
    {
        // 19 offsets of rows 0..8 (vector groups of 8, then a tail of 3), one replaced by an offset outside.
        var offsets = Enumerable.Range(0, 19).Select(i => i % 9 * 8).ToArray();
        offsets[at] = row * 8;
        var values = Enumerable.Repeat(1f, offsets.Length).ToArray();
        var plain = Assert.Throws<ArgumentOutOfRangeException>(() => SparseGemv.Accumulate(values, offsets, new float[9 * 8], new float[8], 0, 8));
        Assert.Contains($"row offset {row * 8} + 8 columns", plain.Message, StringComparison.Ordinal);

        var panelOffsets = offsets.Select(o => o / 8 * SparseGemv.PanelWidth).ToArray();
        var panels = new float[SparseGemv.PanelLength(64, 9)];
        var panelled = Assert.Throws<ArgumentOutOfRangeException>(() => SparseGemv.AccumulatePanels(values, panelOffsets, panels, 9, new float[64], 0, 64));
        Assert.Contains($"row offset {row * SparseGemv.PanelWidth} is outside the 9 rows", panelled.Message, StringComparison.Ordinal);
    }
}
