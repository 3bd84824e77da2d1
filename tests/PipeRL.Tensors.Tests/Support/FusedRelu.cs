namespace PipeRL.Tensors.Tests.Support;

/// <summary>Checks a layer's fused-ReLU forward against the plain layer followed by <see cref="Tape.Relu"/>.</summary>
internal static class FusedRelu
{
    /// <summary>
    /// Runs <paramref name="forward"/> (its bool: fused) on 1 and 2 threads and asserts output, dx, dW, db and the output's
    /// own gradient equal the unfused single-thread run bit for bit; 10-90% of the outputs must be zero so the mask matters.
    /// </summary>
    public static void AssertMatchesSeparateRelu(Func<Tape, Var, bool, Var> forward, Parameter weight, Parameter bias, Tensor x, float[] seed)
    {
        var expected = Run(forward, weight, bias, x, seed, fused: false, workers: null);
        Assert.InRange(expected.Y.Count(v => v == 0f), expected.Y.Length / 10, expected.Y.Length * 9 / 10);
        using var pool = new WorkerPool(2);
        foreach (var (fused, workers) in new[] { (true, (WorkerPool?)null), (true, pool), (false, pool) })
        {
            var actual = Run(forward, weight, bias, x, seed, fused, workers);
            string what = $"fused={fused}, threads={workers?.ThreadCount ?? 1}";
            Bits.AssertEqual(expected.Y, actual.Y, $"{what}: output");
            Bits.AssertEqual(expected.Dx, actual.Dx, $"{what}: dx");
            Bits.AssertEqual(expected.Dw, actual.Dw, $"{what}: dW");
            Bits.AssertEqual(expected.Db, actual.Db, $"{what}: db");

            // The output's own gradient stays dL/dy: the mask is applied to a copy.
            Bits.AssertEqual(seed, actual.OutputGrad, $"{what}: output gradient");
        }
    }

    private static Result Run(Func<Tape, Var, bool, Var> forward, Parameter weight, Parameter bias, Tensor x, float[] seed, bool fused, WorkerPool? workers)
    {
        using var tape = new Tape { Workers = workers };
        weight.ZeroGrad();
        bias.ZeroGrad();
        var input = tape.Input(x, requiresGrad: true);
        var y = fused ? forward(tape, input, true) : tape.Relu(forward(tape, input, false));
        tape.Backward(y, seed);
        return new Result(y.Value.Span.ToArray(), input.Grad!.Span.ToArray(), weight.Grad.Span.ToArray(), bias.Grad.Span.ToArray(), y.Grad!.Span.ToArray());
    }

    private sealed record Result(float[] Y, float[] Dx, float[] Dw, float[] Db, float[] OutputGrad);
}
