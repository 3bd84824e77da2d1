using PipeRL.Tensors.Tests.Support;

namespace PipeRL.Tensors.Tests.Autograd;

public sealed class TapePoolTests
{
    // Pooling only copies, compares or averages a few floats: float against double is exact to rounding.
    private const double Tolerance = 1e-5;

    [Fact]
    public void MaxPoolTakesWindowMaximaAndDropsTheRemainder()
    {
        // One 5x5 image with 2 channels; channel 1 is channel 0 negated. k = 2 keeps rows/cols 0..3 (floor).
        var x = new float[5 * 5 * 2];
        for (int i = 0; i < 25; i++)
        {
            x[2 * i] = i;
            x[(2 * i) + 1] = -i;
        }

        using var tape = new Tape();
        var y = tape.MaxPool2d(tape.Input(Tensor.FromArray(x, new Shape(1, 5, 5, 2))), 2);

        Assert.Equal(new Shape(1, 2, 2, 2), y.Value.Shape);
        Assert.Equal(new float[] { 6, 0, 8, -2, 16, -10, 18, -12 }, y.Value.Span.ToArray());
    }

    [Fact]
    public void AvgPoolTakesWindowMeans()
    {
        var x = new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
        using var tape = new Tape();
        var y = tape.AvgPool2d(tape.Input(Tensor.FromArray(x, new Shape(1, 4, 4, 1))), 2);

        Assert.Equal(new Shape(1, 2, 2, 1), y.Value.Shape);
        Assert.Equal(new float[] { 3.5f, 5.5f, 11.5f, 13.5f }, y.Value.Span.ToArray());
    }

    [Fact]
    public void MaxPoolRoutesTheGradientToTheFirstMaximumOnTies()
    {
        // A 2x2 window of equal values: as PyTorch, only the first element (row-major) receives the gradient.
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([1f, 1f, 1f, 1f], new Shape(1, 2, 2, 1)), requiresGrad: true);
        tape.Backward(tape.Sum(tape.MaxPool2d(x, 2)));

        Assert.Equal(new float[] { 1, 0, 0, 0 }, x.Grad!.Span.ToArray());
    }

    [Theory]
    [InlineData(2, 4, 4, 3, 2)]
    [InlineData(1, 5, 7, 2, 2)]
    [InlineData(2, 6, 6, 1, 3)]
    [InlineData(1, 3, 3, 2, 1)]
    public void MaxPoolGradientMatchesFiniteDifferences(int n, int h, int w, int c, int k)
    {
        var x = GradCheck.Random(new Shape(n, h, w, c), 5);
        GradCheck.Check([x], [], (t, v) => t.MaxPool2d(v[0], k), a => Reference(a[0], n, h, w, c, k, max: true), Tolerance);
    }

    [Theory]
    [InlineData(2, 4, 4, 3, 2)]
    [InlineData(1, 5, 7, 2, 2)]
    [InlineData(2, 6, 6, 1, 3)]
    public void AvgPoolGradientMatchesFiniteDifferences(int n, int h, int w, int c, int k)
    {
        var x = GradCheck.Random(new Shape(n, h, w, c), 6);
        GradCheck.Check([x], [], (t, v) => t.AvgPool2d(v[0], k), a => Reference(a[0], n, h, w, c, k, max: false), Tolerance);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void WindowsThatDoNotFitAreRefused(int k)
    {
        using var tape = new Tape();
        Assert.Throws<ArgumentException>(() => tape.MaxPool2d(tape.Input(Tensor.Zeros(new Shape(1, 4, 4, 1))), k));
    }

    private static double[] Reference(double[] x, int n, int h, int w, int c, int k, bool max)
    {
        int oh = h / k, ow = w / k;
        var y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        double acc = max ? double.NegativeInfinity : 0;
                        for (int dy = 0; dy < k; dy++)
                        {
                            for (int dx = 0; dx < k; dx++)
                            {
                                double v = x[((((b * h) + (oy * k) + dy) * w) + (ox * k) + dx) * c + ch];
                                acc = max ? Math.Max(acc, v) : acc + v;
                            }
                        }

                        y[((((b * oh) + oy) * ow) + ox) * c + ch] = max ? acc : acc / (k * k);
                    }
                }
            }
        }

        return y;
    }
}
