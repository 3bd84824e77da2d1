using PipeRL.Tensors.Tests.Support;

namespace PipeRL.Tensors.Tests.Autograd;

public sealed class TapeLayoutTests
{
    // Layout ops are exact copies; the bound only absorbs finite-difference rounding.
    private const double Tolerance = 1e-6;

    [Fact]
    public void ConcatOfThreeAlongFeaturesGradients()
    {
        var a = GradCheck.Random(new Shape(3, 2), 1);
        var b = GradCheck.Random(new Shape(3, 4), 2);
        var c = GradCheck.Random(new Shape(3, 1), 3);
        GradCheck.Check(
            [a, b, c],
            [],
            (t, v) => t.Concat(v[0], v[1], v[2]),
            x =>
            {
                var y = new List<double>();
                for (int r = 0; r < 3; r++)
                {
                    y.AddRange(x[0].Skip(r * 2).Take(2));
                    y.AddRange(x[1].Skip(r * 4).Take(4));
                    y.AddRange(x[2].Skip(r).Take(1));
                }

                return [.. y];
            },
            Tolerance);
    }

    [Fact]
    public void ConcatAlongChannelsOfImages()
    {
        using var tape = new Tape();
        var a = tape.Input(GradCheck.Random(new Shape(2, 3, 3, 4), 1));
        var b = tape.Input(GradCheck.Random(new Shape(2, 3, 3, 1), 2));
        var y = tape.Concat(a, b);
        Assert.Equal(new Shape(2, 3, 3, 5), y.Shape);
        Assert.Equal(b.Value[7], y.Value[(7 * 5) + 4]);
        Assert.Equal(a.Value[(7 * 4) + 2], y.Value[(7 * 5) + 2]);
    }

    [Fact]
    public void ConcatRefusesMismatchedRows()
    {
        using var tape = new Tape();
        var ex = Assert.Throws<ArgumentException>(() => tape.Concat(tape.Input(Tensor.Zeros(2, 3)), tape.Input(Tensor.Zeros(3, 3))));
        Assert.Contains("operand 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SliceGradients()
    {
        var a = GradCheck.Random(new Shape(3, 7), 1);
        GradCheck.Check(
            [a],
            [],
            (t, v) => t.Slice(v[0], 2, 3),
            x => [.. Enumerable.Range(0, 3).SelectMany(r => x[0].Skip((r * 7) + 2).Take(3))],
            Tolerance);
    }

    [Fact]
    public void ReshapeGradientsAndNoCopy()
    {
        var a = GradCheck.Random(new Shape(2, 3, 4), 1);
        GradCheck.Check([a], [], (t, v) => t.Square(t.Reshape(v[0], new Shape(6, 4))), x => Reference.Map(x[0], z => z * z), 1e-5);
        using var tape = new Tape();
        var x = tape.Input(a);
        var r = tape.Reshape(x, new Shape(24));
        a[5] = 42f;
        Assert.Equal(42f, r.Value[5]);
    }

    [Fact]
    public void ReshapedParameterAndDirectUseBothAccumulate()
    {
        // loss = sum(p) + 3·sum(reshape(p)): every element's gradient is 1 + 3 = 4, and it adds to what was there.
        var p = new Parameter("p", new Shape(2, 3));
        p.Grad.Fill(1f);
        using var tape = new Tape();
        var a = tape.Param(p);
        var r = tape.Reshape(a, new Shape(6));
        tape.Backward(tape.Sum(a) + (3f * tape.Sum(r)));
        Assert.All(p.Grad.Span.ToArray(), g => Assert.Equal(5f, g));
        Assert.Equal(new Shape(6), r.Grad!.Shape);
    }
}
