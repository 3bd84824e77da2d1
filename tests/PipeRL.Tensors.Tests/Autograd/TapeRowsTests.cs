using PipeRL.Tensors.Tests.Support;

namespace PipeRL.Tensors.Tests.Autograd;

public sealed class TapeRowsTests
{
    // Row ops are exact copies or views; the bound only absorbs finite-difference rounding.
    private const double Tolerance = 1e-6;

    [Fact]
    public void SliceRowsGradients()
    {
        // Squared so the backward pass multiplies through the shared gradient buffer, not only copies the seed.
        var a = GradCheck.Random(new Shape(5, 3), 1);
        GradCheck.Check(
            [a],
            [],
            (t, v) => t.Square(t.SliceRows(v[0], 1, 3)),
            x => [.. x[0].Skip(3).Take(9).Select(z => z * z)],
            Tolerance);
    }

    [Fact]
    public void SliceRowsOfImagesSharesStorage()
    {
        using var tape = new Tape();
        var a = GradCheck.Random(new Shape(4, 2, 3, 2), 1);
        var y = tape.SliceRows(tape.Input(a), 2, 2);
        Assert.Equal(new Shape(2, 2, 3, 2), y.Shape);
        a[(2 * 12) + 5] = 42f;
        Assert.Equal(42f, y.Value[5]);
    }

    [Fact]
    public void OverlappingRowSlicesAndDirectUseAllAccumulate()
    {
        // loss = sum(p) + 2·sum(rows 0..1) + 3·sum(rows 1..2): row 0 gets 3, row 1 gets 6, row 2 gets 4, plus what was there.
        var p = new Parameter("p", new Shape(3, 2));
        p.Grad.Fill(1f);
        using var tape = new Tape();
        var a = tape.Param(p);
        tape.Backward(tape.Sum(a) + (2f * tape.Sum(tape.SliceRows(a, 0, 2))) + (3f * tape.Sum(tape.SliceRows(a, 1, 2))));
        Assert.Equal(new[] { 4f, 4f, 7f, 7f, 5f, 5f }, p.Grad.Span.ToArray());
    }

    [Fact]
    public void ConcatRowsOfThreeGradients()
    {
        var a = GradCheck.Random(new Shape(1, 2, 2, 3), 1);
        var b = GradCheck.Random(new Shape(3, 2, 2, 3), 2);
        var c = GradCheck.Random(new Shape(2, 2, 2, 3), 3);
        GradCheck.Check(
            [a, b, c],
            [],
            (t, v) => t.Tanh(t.ConcatRows(v[0], v[1], v[2])),
            x => [.. x[0].Concat(x[1]).Concat(x[2]).Select(Math.Tanh)],
            1e-5);
    }

    [Fact]
    public void ConcatRowsOfASliceGivesTheShiftedSequence()
    {
        // The pipelined read of a layer's window: its start value, then its values of ticks 0..T-2.
        var start = GradCheck.Random(new Shape(2, 3), 1);
        var ticks = GradCheck.Random(new Shape(8, 3), 2);
        GradCheck.Check(
            [start, ticks],
            [],
            (t, v) => t.ConcatRows(v[0], t.SliceRows(v[1], 0, 6)),
            x => [.. x[0].Concat(x[1].Take(18))],
            Tolerance);
    }

    [Fact]
    public void ConcatRowsRefusesMismatchedFeatures()
    {
        using var tape = new Tape();
        var ex = Assert.Throws<ArgumentException>(() => tape.ConcatRows(tape.Input(Tensor.Zeros(2, 3)), tape.Input(Tensor.Zeros(2, 4))));
        Assert.Contains("operand 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SliceRowsRefusesRowsOutsideTheTensor()
    {
        using var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.SliceRows(x, 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.SliceRows(x, -1, 2));
    }
}
