using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors.Tests.Modules;

public sealed class DotPanelCacheTests
{
    [SkippableFact]
    public void MakesTheCopyOnlyAfterTheWeightStaysUnchangedAndDropsItWhenTheVersionMoves()
    {
        Skip.IfNot(Gemm.DotPanelsSupported, "The dot-panel kernel needs AVX; this CPU keeps Gemm.Multiply.");
        var weight = new Parameter("w", new Shape(20, 7));
        new SeededRandom(3).FillUniform(weight.Value.Span, -1, 1);
        var cache = new DotPanelCache(weight);
        for (int call = 1; call < DotPanelCache.StableCalls; call++)
        {
            Assert.Null(cache.Current());
        }

        var panels = cache.Current();
        Assert.NotNull(panels);
        Assert.Same(panels, cache.Current());
        Assert.Equal(weight.Value.Span[(17 * 7) + 4], panels.Span[(((1 * 7) + 4) * Gemm.DotPanelWidth) + 1]);

        // A training loop: the weight changes more often than every StableCalls calls, so no copy is ever made.
        for (int step = 0; step < 5; step++)
        {
            weight.MarkChanged();
            for (int call = 0; call < DotPanelCache.StableCalls - 1; call++)
            {
                Assert.Null(cache.Current());
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LinearInferGivesTheSameBitsBeforeAndAfterTheCopyAndFollowsAnOptimizerStep(int rows)
    {
        var linear = new Linear("fc", 1600, 128, new SeededRandom(4));
        var x = new float[rows * 1600];
        new SeededRandom(5).FillUniform(x, -1, 1);
        var first = new float[rows * 128];
        linear.Infer(x, first, rows);
        var later = new float[rows * 128];
        for (int call = 0; call < 2 * DotPanelCache.StableCalls; call++)
        {
            linear.Infer(x, later, rows);
            Assert.Equal(first, later);
        }

        // An optimizer step writes the weight and announces it: the next call must see the new weight, not the copy.
        using (var tape = new Tape())
        {
            var loss = tape.Sum(linear.Forward(tape, tape.Input(Tensor.FromArray(x, new Shape(rows, 1600)))));
            tape.Backward(loss);
        }

        new PipeRL.Tensors.Optim.Adam(linear.Parameters, lr: 0.1f).Step();
        var expected = new float[rows * 128];
        Gemm.Multiply(x, false, linear.Weight.Value.Span, true, Fill(expected, linear.Bias!.Value.Span, rows), rows, 128, 1600, accumulate: true);
        for (int call = 0; call < 2 * DotPanelCache.StableCalls; call++)
        {
            linear.Infer(x, later, rows);
            Assert.Equal(expected, later);
        }

        Assert.NotEqual(first, later);
    }

    private static float[] Fill(float[] y, ReadOnlySpan<float> bias, int rows)
    {
        for (int r = 0; r < rows; r++)
        {
            bias.CopyTo(y.AsSpan(r * bias.Length));
        }

        return y;
    }
}
