using PipeRL.Tensors.Tests.Support;

namespace PipeRL.Tensors.Tests.Autograd;

public sealed class TapeConvTests
{
    // Float convolution (sums of up to 90 products) against double finite differences: relative error bound 1e-4.
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(2, 5, 5, 3, 4, 3, 1, 1)]
    [InlineData(1, 7, 6, 2, 3, 3, 2, 0)]
    [InlineData(2, 9, 9, 3, 5, 4, 2, 1)]
    [InlineData(3, 4, 4, 1, 2, 1, 1, 0)]
    public void Conv2dGradientsReachInputWeightAndBias(int n, int h, int w, int c, int cout, int k, int stride, int pad)
    {
        var conv = new Conv2d("conv", c, cout, k, new SeededRandom(3), stride, pad);
        var x = GradCheck.Random(new Shape(n, h, w, c), 4);
        GradCheck.Check(
            [x],
            [conv.Weight, conv.Bias!],
            (t, v) => conv.Forward(t, v[0]),
            a => Reference.Conv2d(a[0], a[1], a[2], n, h, w, c, cout, k, stride, pad),
            Tolerance);
    }

    [Fact]
    public void ManyImagesSpanSeveralChunksAndMatchReference()
    {
        // 60 images of 10x10x10 with a 3x3 kernel exceed one im2col chunk (48 K floats), so chunking is exercised.
        int n = 60;
        var conv = new Conv2d("conv", 10, 16, 3, new SeededRandom(1), 1, 1);
        var x = GradCheck.Random(new Shape(n, 10, 10, 10), 2);
        var expected = Reference.Conv2d(GradCheck.ToDouble(x.Span), GradCheck.ToDouble(conv.Weight.Value.Span), GradCheck.ToDouble(conv.Bias!.Value.Span), n, 10, 10, 10, 16, 3, 1, 1);
        var y = new float[n * 10 * 10 * 16];
        conv.Infer(x.Span, y, n, 10, 10);
        Assert.True(GradCheck.RelativeError(y, expected) < 1e-5);
        using var tape = new Tape();
        Assert.Equal(y, conv.Forward(tape, tape.Input(x)).Value.Span.ToArray());
    }

    [Fact]
    public void WrongChannelCountIsRefused()
    {
        var conv = new Conv2d("enc.conv", 3, 4, 3, new SeededRandom(1));
        using var tape = new Tape();
        var ex = Assert.Throws<ArgumentException>(() => conv.Forward(tape, tape.Input(Tensor.Zeros(new Shape(1, 5, 5, 2)))));
        Assert.Contains("enc.conv.weight", ex.Message, StringComparison.Ordinal);
    }
}
