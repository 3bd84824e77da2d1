using System.Runtime.Intrinsics.X86;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors.Tests.Kernels;

public sealed class GemmDotPanelsTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 1, 1 }, { 1, 6, 17 }, { 1, 256, 17 }, { 1, 13, 9 }, { 2, 37, 33 }, { 3, 8, 8 }, { 4, 40, 7 },
        { 1, 128, 1600 }, { 1, 256, 256 }, { 2, 16, 15 }, { 1, 31, 3 }, { 4, 17, 64 },
    };

    [SkippableTheory]
    [MemberData(nameof(Sizes))]
    public void GivesTheBitsOfTheRowWiseProduct(int m, int n, int k)
    {
        Skip.IfNot(Gemm.DotPanelsSupported, "The dot-panel kernel needs AVX; this CPU keeps Gemm.Multiply.");
        var rng = new SeededRandom((ulong)((m * 100_000) + (n * 100) + k));
        var a = new float[m * k];
        var w = new float[n * k];
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(w, -1, 1);

        // ReLU outputs: exact zeros and negative zeros among the inputs, as a layer's input has them.
        for (int i = 0; i < a.Length; i += 3)
        {
            a[i] = i % 2 == 0 ? 0f : -0f;
        }

        var panels = new float[Gemm.DotPanelLength(n, k)];
        Gemm.PackDotPanels(w, n, k, panels);
        foreach (bool accumulate in new[] { false, true })
        {
            foreach (bool relu in new[] { false, true })
            {
                var start = new float[m * n];
                rng.FillUniform(start, -1, 1);
                var expected = (float[])start.Clone();
                Gemm.Multiply(a, false, w, true, expected, m, n, k, accumulate, relu: relu);
                foreach (bool wide in Avx512F.IsSupported ? new[] { false, true } : new[] { false })
                {
                    var actual = (float[])start.Clone();
                    Gemm.MultiplyDotPanelsOn(a, panels, actual, m, n, k, accumulate, relu, wide);
                    for (int i = 0; i < actual.Length; i++)
                    {
                        Assert.True(
                            BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                            $"m={m} n={n} k={k} accumulate={accumulate} relu={relu} wide={wide}: C[{i}] {actual[i]:R} vs {expected[i]:R}");
                    }
                }
            }
        }
    }

    [Fact]
    public void PanelsHoldSixteenOutputsPerInputAndZeroPastTheLastOutput()
    {
        const int n = 18;
        const int k = 3;
        var w = new float[n * k];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = i + 1;
        }

        var panels = new float[Gemm.DotPanelLength(n, k)];
        Assert.Equal(2 * 16 * k, panels.Length);
        Gemm.PackDotPanels(w, n, k, panels);

        // W[16p + c, kk] at ((p·k) + kk)·16 + c.
        Assert.Equal(w[(5 * k) + 2], panels[(2 * 16) + 5]);
        Assert.Equal(w[(17 * k) + 1], panels[(((1 * k) + 1) * 16) + 1]);
        Assert.Equal(0f, panels[(((1 * k) + 1) * 16) + 2]);
    }

    [SkippableFact]
    public void RejectsMoreRowsThanTheSmallPathTakes()
    {
        Skip.IfNot(Gemm.DotPanelsSupported, "The dot-panel kernel needs AVX.");
        var panels = new float[Gemm.DotPanelLength(4, 4)];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.MultiplyDotPanels(new float[20], panels, new float[20], 5, 4, 4, false));
        Assert.Contains("1-4 rows", ex.Message, StringComparison.Ordinal);
    }
}
