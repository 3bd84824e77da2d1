using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace PipeRL.Tensors.Optim;

/// <summary>Gradient clipping by global norm, as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by min(1, maxNorm / (‖g‖ + 1e-6)) where ‖g‖ is the L2 norm over all of them (summed in
    /// double); returns ‖g‖ before clipping.
    /// </summary>
    public static float ClipByGlobalNorm(IEnumerable<Parameter> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), $"maxNorm must be positive, got {maxNorm}.");
        }

        double sumSquares = 0;
        foreach (var p in parameters)
        {
            sumSquares += SumOfSquares(p.Grad.Span);
        }

        float total = (float)Math.Sqrt(sumSquares);
        float coef = maxNorm / (total + 1e-6f);
        if (coef < 1f)
        {
            foreach (var p in parameters)
            {
                TensorPrimitives.Multiply(p.Grad.Span, coef, p.Grad.Span);
            }
        }

        return total;
    }

    /// <summary>Σ g² accumulated in double, vectorised (the update calls this on every parameter each step).</summary>
    private static double SumOfSquares(ReadOnlySpan<float> g)
    {
        var acc = Vector<double>.Zero;
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(g);
        foreach (var v in vectors)
        {
            Vector.Widen(v, out var lo, out var hi);
            acc += (lo * lo) + (hi * hi);
        }

        double sum = Vector.Sum(acc);
        for (int i = vectors.Length * Vector<float>.Count; i < g.Length; i++)
        {
            sum += (double)g[i] * g[i];
        }

        return sum;
    }
}
