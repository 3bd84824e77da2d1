using PipeRL.Tensors.Tests.Support;

namespace PipeRL.Tensors.Tests.Autograd;

public sealed class TapeReduceTests
{
    // Relative error bound for float forward/backward against double central differences.
    private const double Tolerance = 1e-4;

    [Fact]
    public void SumAndMeanGradients()
    {
        var a = GradCheck.Random(new Shape(3, 7), 1);
        GradCheck.Check([a], [], (t, v) => t.Sum(v[0]), x => [x[0].Sum()], Tolerance);
        GradCheck.Check([a], [], (t, v) => t.Mean(v[0]), x => [x[0].Average()], Tolerance);
    }

    [Fact]
    public void SumLastGradients()
    {
        var a = GradCheck.Random(new Shape(4, 5), 2);
        GradCheck.Check([a], [], (t, v) => t.SumLast(v[0]), x => RowSums(x[0], 5), Tolerance);
    }

    [Fact]
    public void LogSoftmaxAndSoftmaxGradients()
    {
        var a = GradCheck.Random(new Shape(3, 6), 3, -3, 3);
        GradCheck.Check([a], [], (t, v) => t.LogSoftmax(v[0]), x => RefLogSoftmax(x[0], 6), Tolerance);
        GradCheck.Check([a], [], (t, v) => t.Softmax(v[0]), x => Reference.Map(RefLogSoftmax(x[0], 6), Math.Exp), Tolerance);
    }

    [Fact]
    public void LogSoftmaxIsStableForLargeLogits()
    {
        using var tape = new Tape();
        var y = tape.LogSoftmax(tape.Input(Tensor.FromArray([1000f, 0f], new Shape(1, 2))));
        Assert.Equal(0f, y.Value[0], 6);
        Assert.Equal(-1000f, y.Value[1], 3);
    }

    [Fact]
    public void GatherGradients()
    {
        var a = GradCheck.Random(new Shape(4, 5), 4);
        int[] idx = [3, 0, 4, 3];
        GradCheck.Check(
            [a],
            [],
            (t, v) => t.Gather(v[0], idx),
            x => [.. idx.Select((j, r) => x[0][(r * 5) + j])],
            Tolerance);
    }

    [Fact]
    public void GatherRefusesOutOfRangeIndex()
    {
        using var tape = new Tape();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => tape.Gather(tape.Input(Tensor.Zeros(2, 3)), [0, 3]));
        Assert.Contains("index 3 in row 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MseLossGradientsForPredictionAndTarget()
    {
        var p = GradCheck.Random(new Shape(6, 2), 5);
        var q = GradCheck.Random(new Shape(6, 2), 6);
        GradCheck.Check(
            [p, q],
            [],
            (t, v) => t.MseLoss(v[0], v[1]),
            x => [x[0].Zip(x[1], (a, b) => (a - b) * (a - b)).Average()],
            Tolerance);
    }

    internal static double[] RefLogSoftmax(double[] x, int f)
    {
        var y = new double[x.Length];
        for (int r = 0; r < x.Length / f; r++)
        {
            double max = x.Skip(r * f).Take(f).Max();
            double lse = max + Math.Log(x.Skip(r * f).Take(f).Sum(v => Math.Exp(v - max)));
            for (int j = 0; j < f; j++)
            {
                y[(r * f) + j] = x[(r * f) + j] - lse;
            }
        }

        return y;
    }

    internal static double[] RowSums(double[] x, int f) => [.. Enumerable.Range(0, x.Length / f).Select(r => x.Skip(r * f).Take(f).Sum())];
}
