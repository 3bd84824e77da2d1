using PipeRL.Tensors.Kernels;
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

    [Theory]
    [InlineData(10, 10, 10, 16, 3, 1, 1)]
    [InlineData(10, 10, 4, 16, 3, 1, 0)]
    [InlineData(9, 9, 8, 12, 3, 2, 0)]
    [InlineData(12, 12, 8, 16, 4, 2, 1)]
    [InlineData(6, 7, 3, 5, 1, 1, 0)]
    public void OneImageInferredWithoutAPatchMatrixEqualsTheTapeBitForBit(int h, int w, int c, int cout, int k, int stride, int pad)
    {
        var conv = new Conv2d("conv", c, cout, k, new SeededRandom(6), stride, pad);
        var g = conv.Geometry(h, w);
        var y = new float[g.OutPixels * cout];
        using var tape = new Tape();
        for (var image = 0; image < 3; image++)
        {
            // Three images through the same layer: its buffers are reused, and a changed weight is packed again.
            var x = GradCheck.Random(new Shape(1, h, w, c), 7 + (ulong)image);
            conv.Weight.Value.Span[image] += 0.25f;
            conv.Infer(x.Span, y, 1, h, w);
            tape.Reset();
            Assert.Equal(conv.Forward(tape, tape.Input(x)).Value.Span.ToArray(), y);
        }
    }

    [Theory]
    [InlineData(10, 10, 10, 16, 16, 3, 1, 1)] // 3 images a chunk: 3 + 3 + 3 + 1
    [InlineData(100, 9, 9, 8, 12, 3, 2, 0)] // 42 images a chunk: 42 + 42 + 16
    [InlineData(23, 12, 12, 8, 16, 4, 2, 1)] // 10 images a chunk: 10 + 10 + 3
    [InlineData(1000, 6, 6, 3, 5, 1, 1, 0)] // 455 images a chunk: 455 + 455 + 90
    public void FusedReluEqualsSeparateReluBitForBitOnOneAndTwoThreads(int n, int h, int w, int c, int cout, int k, int stride, int pad)
    {
        var conv = new Conv2d("conv", c, cout, k, new SeededRandom(3), stride, pad);
        var g = conv.Geometry(h, w);
        int chunk = Conv2dKernel.ChunkImages(g, n);
        Assert.True(n > chunk && n % chunk != 0, $"{n} images in chunks of {chunk}: the geometry should give several chunks, the last one short");
        var x = GradCheck.Random(new Shape(n, h, w, c), 4);
        var seed = GradCheck.Random(new Shape(n * g.OutPixels * cout), 5).Span.ToArray();

        FusedRelu.AssertMatchesSeparateRelu((tape, input, relu) => conv.Forward(tape, input, relu), conv.Weight, conv.Bias!, x, seed);
    }

    [Theory]
    [InlineData(2, 5, 5, 3, 4, 3, 1, 1)]
    [InlineData(3, 7, 6, 2, 3, 3, 2, 0)]
    public void FusedReluGradientsMatchFiniteDifferences(int n, int h, int w, int c, int cout, int k, int stride, int pad)
    {
        var conv = new Conv2d("conv", c, cout, k, new SeededRandom(3), stride, pad);
        var x = GradCheck.Random(new Shape(n, h, w, c), 4);
        GradCheck.Check(
            [x],
            [conv.Weight, conv.Bias!],
            (t, v) => conv.Forward(t, v[0], relu: true),
            a => Reference.Map(Reference.Conv2d(a[0], a[1], a[2], n, h, w, c, cout, k, stride, pad), v => Math.Max(v, 0)),
            Tolerance);
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
