using PipeRL.Tensors.Tests.Support;

namespace PipeRL.Tensors.Tests.Autograd;

public sealed class TapeLstmTests
{
    // Relative error bound for float forward/backward against double central differences.
    private const double Tolerance = 1e-4;

    [Fact]
    public void LstmCellGradientsOfHAndC()
    {
        int rows = 2, inF = 3, hidden = 4;
        var cell = new LstmCell("lstm", inF, hidden, new SeededRandom(1));
        var x = GradCheck.Random(new Shape(rows, inF), 2);
        var h = GradCheck.Random(new Shape(rows, hidden), 3);
        var c = GradCheck.Random(new Shape(rows, hidden), 4);
        Parameter[] ps = [cell.WeightIh, cell.WeightHh, cell.BiasIh, cell.BiasHh];

        // Both outputs at once: concatenating h' and c' checks the h-path and the c-path gradients together.
        GradCheck.Check(
            [x, h, c],
            ps,
            (t, v) =>
            {
                var (hn, cn) = cell.Forward(t, v[0], v[1], v[2]);
                return t.Concat(hn, cn);
            },
            a => RefLstm(a, rows, inF, hidden),
            Tolerance);
    }

    [Fact]
    public void InferMatchesTape()
    {
        var cell = new LstmCell("lstm", 5, 8, new SeededRandom(1));
        var x = GradCheck.Random(new Shape(1, 5), 2);
        var h = GradCheck.Random(new Shape(1, 8), 3);
        var c = GradCheck.Random(new Shape(1, 8), 4);
        var hOut = new float[8];
        var cOut = new float[8];
        cell.Infer(x.Span, h.Span, c.Span, hOut, cOut);
        using var tape = new Tape();
        var (hn, cn) = cell.Forward(tape, tape.Input(x), tape.Input(h), tape.Input(c));
        Assert.True(GradCheck.RelativeError(hOut, GradCheck.ToDouble(hn.Value.Span)) < 1e-6);
        Assert.True(GradCheck.RelativeError(cOut, GradCheck.ToDouble(cn.Value.Span)) < 1e-6);
    }

    private static double[] RefLstm(double[][] a, int rows, int inF, int hidden)
    {
        double[] x = a[0], h = a[1], c = a[2], wih = a[3], whh = a[4], bih = a[5], bhh = a[6];
        var gates = Reference.Linear(x, wih, bih, rows, inF, 4 * hidden);
        var gh = Reference.Linear(h, whh, bhh, rows, hidden, 4 * hidden);
        var y = new double[rows * 2 * hidden];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double G(int k) => gates[(r * 4 * hidden) + (k * hidden) + j] + gh[(r * 4 * hidden) + (k * hidden) + j];
                double sig(double z) => 1 / (1 + Math.Exp(-z));
                double cn = (sig(G(1)) * c[(r * hidden) + j]) + (sig(G(0)) * Math.Tanh(G(2)));
                y[(r * 2 * hidden) + j] = sig(G(3)) * Math.Tanh(cn);
                y[(r * 2 * hidden) + hidden + j] = cn;
            }
        }

        return y;
    }
}
