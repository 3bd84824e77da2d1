namespace PipeRL.Tensors.Tests.Init;

public sealed class InitializersTests
{
    [Fact]
    public void PyTorchDefaultBoundsAndVariance()
    {
        // kaiming_uniform(a=sqrt 5) on fan_in 400 gives U(-0.05, 0.05): variance 0.05^2/3.
        var w = Tensor.Zeros(300, 400);
        var b = Tensor.Zeros(new Shape(300));
        Initializers.PyTorchDefault(w, b, new SeededRandom(1));
        Assert.All(w.Span.ToArray(), v => Assert.InRange(v, -0.05f, 0.05f));
        Assert.All(b.Span.ToArray(), v => Assert.InRange(v, -0.05f, 0.05f));
        Assert.InRange(Variance(w.Span), 0.97 * 0.0025 / 3, 1.03 * 0.0025 / 3);
        Assert.True(w.Span.ToArray().Max() > 0.0499f);
    }

    [Fact]
    public void Conv2dFanInIsKernelAreaTimesInputChannels()
    {
        Assert.Equal(3 * 3 * 10, Initializers.FanIn(new Shape(16, 3, 3, 10)));
        var conv = new Conv2d("c", 10, 16, 3, new SeededRandom(1));
        float bound = (float)(1 / Math.Sqrt(90));
        Assert.All(conv.Weight.Value.Span.ToArray(), v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void KaimingNormalVariance()
    {
        var w = Tensor.Zeros(500, 200);
        Initializers.KaimingNormal(w, new SeededRandom(2));
        Assert.InRange(Variance(w.Span), 0.97 * 2.0 / 200, 1.03 * 2.0 / 200);
        Assert.InRange(Mean(w.Span), -0.002, 0.002);
    }

    [Theory]
    [InlineData(64, 17, 1.4142135623730951)]
    [InlineData(6, 64, 0.01)]
    [InlineData(32, 32, 1.0)]
    public void OrthogonalRowsOrColumnsAreOrthonormalTimesGain(int rows, int cols, double gain)
    {
        var w = Tensor.Zeros(rows, cols);
        Initializers.Orthogonal(w, new SeededRandom(3), gain);

        // Gram matrix of the smaller side: gain^2 * I within float rounding.
        bool byColumns = rows >= cols;
        int n = byColumns ? cols : rows;
        int len = byColumns ? rows : cols;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int k = 0; k < len; k++)
                {
                    dot += byColumns ? w[k, i] * (double)w[k, j] : w[i, k] * (double)w[j, k];
                }

                Assert.Equal(i == j ? gain * gain : 0.0, dot, 5 - (int)Math.Ceiling(Math.Log10(Math.Max(1, gain * gain * 10))));
            }
        }
    }

    [Fact]
    public void SameSeedSameWeights()
    {
        var a = new Linear("l", 8, 8, new SeededRandom(5));
        var b = new Linear("l", 8, 8, new SeededRandom(5));
        var c = new Linear("l", 8, 8, new SeededRandom(6));
        Assert.Equal(a.Weight.Value.Span.ToArray(), b.Weight.Value.Span.ToArray());
        Assert.NotEqual(a.Weight.Value.Span.ToArray(), c.Weight.Value.Span.ToArray());
    }

    private static double Mean(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x)
        {
            s += v;
        }

        return s / x.Length;
    }

    private static double Variance(ReadOnlySpan<float> x)
    {
        double m = Mean(x);
        double s = 0;
        foreach (float v in x)
        {
            s += (v - m) * (v - m);
        }

        return s / x.Length;
    }
}
