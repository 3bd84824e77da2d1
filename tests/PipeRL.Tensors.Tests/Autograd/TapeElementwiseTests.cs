using PipeRL.Tensors.Tests.Support;

namespace PipeRL.Tensors.Tests.Autograd;

public sealed class TapeElementwiseTests
{
    // Relative error bound for float forward/backward against double central differences.
    private const double Tolerance = 2e-4;

    public static TheoryData<string> BinaryOps => new() { "add", "sub", "mul", "div", "min", "max" };

    public static TheoryData<string> UnaryOps => new() { "exp", "log", "square", "sqrt", "relu", "tanh", "sigmoid", "clamp", "scale", "addscalar", "neg" };

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryGradientsSameShape(string op)
    {
        var a = GradCheck.Random(new Shape(3, 5), 1, 0.5, 2);
        var b = GradCheck.Random(new Shape(3, 5), 2, 0.5, 2);
        GradCheck.Check([a, b], [], (t, v) => Binary(t, op, v[0], v[1]), x => RefBinary(op, x[0], x[1]), Tolerance);
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryGradientsWithBroadcastScalar(string op)
    {
        var a = GradCheck.Random(new Shape(3, 5), 1, 0.5, 2);
        var s = GradCheck.Random(new Shape(1), 2, 0.5, 2);
        GradCheck.Check([a, s], [], (t, v) => Binary(t, op, v[0], v[1]), x => RefBinary(op, x[0], x[1]), Tolerance);
        GradCheck.Check([s, a], [], (t, v) => Binary(t, op, v[0], v[1]), x => RefBinary(op, x[0], x[1]), Tolerance);
    }

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void UnaryGradients(string op)
    {
        // Inputs in [0.1, 2] for log and sqrt; others in [-2, 2] away from relu/clamp kinks by construction of the seed.
        bool positive = op is "log" or "sqrt";
        var a = GradCheck.Random(new Shape(4, 9), 3, positive ? 0.1 : -2, 2);
        GradCheck.Check([a], [], (t, v) => Unary(t, op, v[0]), x => Reference.Map(x[0], RefUnary(op)), Tolerance);
    }

    [Fact]
    public void MinimumSplitsTiesLikeTorch()
    {
        using var tape = new Tape();
        var a = tape.Input(Tensor.FromArray([1f, 2f], new Shape(2)), requiresGrad: true);
        var b = tape.Input(Tensor.FromArray([1f, 3f], new Shape(2)), requiresGrad: true);
        tape.Backward(tape.Sum(tape.Minimum(a, b)));
        Assert.Equal([0.5f, 1f], a.Grad!.Span.ToArray());
        Assert.Equal([0.5f, 0f], b.Grad!.Span.ToArray());
    }

    [Fact]
    public void ReluGradientAtZeroIsZero()
    {
        using var tape = new Tape();
        var a = tape.Input(Tensor.FromArray([0f, -1f, 2f], new Shape(3)), requiresGrad: true);
        tape.Backward(tape.Sum(tape.Relu(a)));
        Assert.Equal([0f, 0f, 1f], a.Grad!.Span.ToArray());
    }

    private static Var Binary(Tape t, string op, Var a, Var b) => op switch
    {
        "add" => a + b,
        "sub" => a - b,
        "mul" => a * b,
        "div" => a / b,
        "min" => t.Minimum(a, b),
        _ => t.Maximum(a, b),
    };

    private static double[] RefBinary(string op, double[] a, double[] b)
    {
        int n = Math.Max(a.Length, b.Length);
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x = a[a.Length == 1 ? 0 : i];
            double z = b[b.Length == 1 ? 0 : i];
            y[i] = op switch
            {
                "add" => x + z,
                "sub" => x - z,
                "mul" => x * z,
                "div" => x / z,
                "min" => Math.Min(x, z),
                _ => Math.Max(x, z),
            };
        }

        return y;
    }

    private static Var Unary(Tape t, string op, Var a) => op switch
    {
        "exp" => t.Exp(a),
        "log" => t.Log(a),
        "square" => t.Square(a),
        "sqrt" => t.Sqrt(a),
        "relu" => t.Relu(a),
        "tanh" => t.Tanh(a),
        "sigmoid" => t.Sigmoid(a),
        "clamp" => t.Clamp(a, -0.8f, 0.9f),
        "scale" => a * 1.7f,
        "addscalar" => a + 0.3f,
        _ => -a,
    };

    private static Func<double, double> RefUnary(string op) => op switch
    {
        "exp" => Math.Exp,
        "log" => Math.Log,
        "square" => x => x * x,
        "sqrt" => Math.Sqrt,
        "relu" => x => Math.Max(x, 0),
        "tanh" => Math.Tanh,
        "sigmoid" => x => 1 / (1 + Math.Exp(-x)),
        "clamp" => x => Math.Clamp(x, -0.8, 0.9),
        "scale" => x => 1.7 * x,
        "addscalar" => x => x + 0.3,
        _ => x => -x,
    };
}
