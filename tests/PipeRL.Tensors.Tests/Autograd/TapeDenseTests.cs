using PipeRL.Tensors.Tests.Support;

namespace PipeRL.Tensors.Tests.Autograd;

public sealed class TapeDenseTests
{
    // Float forward and backward against double finite differences: relative error bound 1e-4 for every check here.
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MatMulGradients(bool transA, bool transB)
    {
        int m = 7, n = 5, k = 9;
        var a = GradCheck.Random(transA ? new Shape(k, m) : new Shape(m, k), 1);
        var b = GradCheck.Random(transB ? new Shape(n, k) : new Shape(k, n), 2);
        GradCheck.Check(
            [a, b],
            [],
            (tape, v) => tape.MatMul(v[0], v[1], transA, transB),
            x => Reference.MatMul(x[0], transA, x[1], transB, m, n, k),
            Tolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(20)]
    public void LinearGradientsReachInputWeightAndBias(int rows)
    {
        var layer = new Linear("fc", 11, 13, new SeededRandom(5));
        var x = GradCheck.Random(new Shape(rows, 11), 3);
        GradCheck.Check(
            [x],
            [layer.Weight, layer.Bias!],
            (tape, v) => layer.Forward(tape, v[0]),
            a => Reference.Linear(a[0], a[1], a[2], rows, 11, 13),
            Tolerance);
    }

    [Theory]
    [InlineData(3)] // few rows: dot products, then one ReLU pass over the rows
    [InlineData(37)] // packed 6×16 tiles with ragged edges, too small to split
    [InlineData(67)] // packed and split over the threads
    public void FusedReluLinearEqualsSeparateReluBitForBitOnOneAndTwoThreads(int rows)
    {
        var layer = new Linear("fc", 64, 70, new SeededRandom(5));
        var x = GradCheck.Random(new Shape(rows, 64), 3);
        var seed = GradCheck.Random(new Shape(rows * 70), 4).Span.ToArray();
        FusedRelu.AssertMatchesSeparateRelu((tape, input, relu) => layer.Forward(tape, input, relu), layer.Weight, layer.Bias!, x, seed);
    }

    [Fact]
    public void FusedReluLinearGradientsMatchFiniteDifferences()
    {
        var layer = new Linear("fc", 11, 13, new SeededRandom(5));
        var x = GradCheck.Random(new Shape(9, 11), 3);
        GradCheck.Check(
            [x],
            [layer.Weight, layer.Bias!],
            (tape, v) => layer.Forward(tape, v[0], relu: true),
            a => Reference.Map(Reference.Linear(a[0], a[1], a[2], 9, 11, 13), v => Math.Max(v, 0)),
            Tolerance);
    }

    [Fact]
    public void AddBiasGradients()
    {
        var x = GradCheck.Random(new Shape(4, 6), 1);
        var b = GradCheck.Random(new Shape(6), 2);
        GradCheck.Check(
            [x, b],
            [],
            (tape, v) => tape.AddBias(v[0], v[1]),
            a =>
            {
                var y = (double[])a[0].Clone();
                for (int i = 0; i < y.Length; i++)
                {
                    y[i] += a[1][i % 6];
                }

                return y;
            },
            Tolerance);
    }

    [Fact]
    public void LinearInferMatchesTapeForward()
    {
        var layer = new Linear("fc", 17, 256, new SeededRandom(1));
        var x = GradCheck.Random(new Shape(1, 17), 2);
        var y = new float[256];
        layer.Infer(x.Span, y);
        using var tape = new Tape();
        var expected = layer.Forward(tape, tape.Input(x)).Value.Span.ToArray();
        Assert.Equal(expected, y);
    }

    [Fact]
    public void MismatchedLinearInputNamesTheLayer()
    {
        var layer = new Linear("critic.0", 4, 3, new SeededRandom(1));
        using var tape = new Tape();
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(tape, tape.Input(Tensor.Zeros(2, 5))));
        Assert.Contains("critic.0.weight", ex.Message, StringComparison.Ordinal);
    }
}
