using PipeRL.Tensors.Optim;

namespace PipeRL.Tensors.Tests.Optim;

public sealed class GradientClippingTests
{
    [Fact]
    public void ScalesByMaxNormOverTotalNormPlusEpsilon()
    {
        // Gradients (3, 4) and (12): global norm 13. Clip to 6.5: coefficient 6.5 / (13 + 1e-6).
        var a = new Parameter("a", new Shape(2));
        var b = new Parameter("b", new Shape(1));
        a.Grad.CopyFrom([3f, 4f]);
        b.Grad.CopyFrom([12f]);
        float norm = GradientClipping.ClipByGlobalNorm([a, b], 6.5f);
        Assert.Equal(13f, norm, 5);
        double coef = 6.5 / (13 + 1e-6);
        Assert.Equal(3 * coef, a.Grad[0], 5);
        Assert.Equal(4 * coef, a.Grad[1], 5);
        Assert.Equal(12 * coef, b.Grad[0], 5);
    }

    [Fact]
    public void SmallGradientsAreUnchanged()
    {
        var a = new Parameter("a", new Shape(2));
        a.Grad.CopyFrom([0.3f, 0.4f]);
        Assert.Equal(0.5f, GradientClipping.ClipByGlobalNorm([a], 1f), 6);
        Assert.Equal([0.3f, 0.4f], a.Grad.Span.ToArray());
    }

    [Fact]
    public void NormOfLongGradientsMatchesADoubleSum()
    {
        // Lengths that are not multiples of any vector width, so both the vector loop and the tail count.
        var a = new Parameter("a", new Shape(1003));
        var b = new Parameter("b", new Shape(37));
        new SeededRandom(3).FillUniform(a.Grad.Span, -1, 1);
        new SeededRandom(4).FillUniform(b.Grad.Span, -1, 1);
        double expected = Math.Sqrt(a.Grad.Span.ToArray().Concat(b.Grad.Span.ToArray()).Sum(g => (double)g * g));
        var before = a.Grad.Span.ToArray();
        float norm = GradientClipping.ClipByGlobalNorm([a, b], 1f);
        Assert.Equal(expected, norm, 4);
        Assert.Equal(before[1002] / (expected + 1e-6), a.Grad[1002], 6);
    }
}
