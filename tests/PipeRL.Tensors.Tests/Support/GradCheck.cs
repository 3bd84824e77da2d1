namespace PipeRL.Tensors.Tests.Support;

/// <summary>
/// Checks a tape operation against a double-precision reference: the engine's float forward against the reference
/// forward, and the engine's backward (seeded with a random projection r, i.e. the gradient of Σ r·y) against central
/// finite differences of the reference computed entirely in double.
/// </summary>
internal static class GradCheck
{
    /// <summary>Norm-wise relative error ‖a − b‖∞ / max(‖b‖∞, 1e-6).</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(actual[i] - expected[i]));
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
        }

        return maxDiff / Math.Max(maxRef, 1e-6);
    }

    /// <summary>Random floats in [lo, hi) from a seeded source.</summary>
    public static Tensor Random(Shape shape, ulong seed, double lo = -1, double hi = 1)
    {
        var t = Tensor.Zeros(shape);
        new SeededRandom(seed).FillUniform(t.Span, lo, hi);
        return t;
    }

    /// <summary>
    /// Runs the check. <paramref name="engine"/> receives one Var per input (recorded with requiresGrad) and may use
    /// <paramref name="parameters"/> directly; <paramref name="reference"/> receives the inputs then the parameters in double.
    /// </summary>
    public static void Check(
        Tensor[] inputs,
        Parameter[] parameters,
        Func<Tape, Var[], Var> engine,
        Func<double[][], double[]> reference,
        double tolerance,
        ulong seed = 7)
    {
        using var tape = new Tape();
        var vars = new Var[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            vars[i] = tape.Input(inputs[i], requiresGrad: true);
        }

        foreach (var p in parameters)
        {
            p.ZeroGrad();
        }

        var y = engine(tape, vars);
        var args = new double[inputs.Length + parameters.Length][];
        for (int i = 0; i < inputs.Length; i++)
        {
            args[i] = ToDouble(inputs[i].Span);
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            args[inputs.Length + i] = ToDouble(parameters[i].Value.Span);
        }

        var refOut = reference(args);
        Assert.Equal(refOut.Length, y.Value.Length);
        double forwardError = RelativeError(y.Value.Span, refOut);
        Assert.True(forwardError <= tolerance, $"forward relative error {forwardError:E3} > {tolerance:E1}");

        var rng = new SeededRandom(seed);
        var r = new double[refOut.Length];
        var seedGrad = new float[refOut.Length];
        for (int i = 0; i < r.Length; i++)
        {
            seedGrad[i] = (float)rng.Uniform(-1, 1);
            r[i] = seedGrad[i];
        }

        tape.Backward(y, seedGrad);
        for (int a = 0; a < args.Length; a++)
        {
            var analytic = a < inputs.Length ? vars[a].Grad?.Span.ToArray() ?? new float[args[a].Length] : parameters[a - inputs.Length].Grad.Span.ToArray();
            var numeric = new double[args[a].Length];
            for (int i = 0; i < numeric.Length; i++)
            {
                double x0 = args[a][i];
                double h = 1e-6 * Math.Max(1.0, Math.Abs(x0));
                args[a][i] = x0 + h;
                double plus = Dot(r, reference(args));
                args[a][i] = x0 - h;
                double minus = Dot(r, reference(args));
                args[a][i] = x0;
                numeric[i] = (plus - minus) / (2 * h);
            }

            double error = RelativeError(analytic, numeric);
            Assert.True(error <= tolerance, $"gradient of argument {a}: relative error {error:E3} > {tolerance:E1}");
        }
    }

    public static double[] ToDouble(ReadOnlySpan<float> x)
    {
        var d = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            d[i] = x[i];
        }

        return d;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }
}
