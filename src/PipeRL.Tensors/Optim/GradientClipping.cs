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
            foreach (float g in p.Grad.Span)
            {
                sumSquares += (double)g * g;
            }
        }

        float total = (float)Math.Sqrt(sumSquares);
        float coef = maxNorm / (total + 1e-6f);
        if (coef < 1f)
        {
            foreach (var p in parameters)
            {
                var g = p.Grad.Span;
                for (int i = 0; i < g.Length; i++)
                {
                    g[i] *= coef;
                }
            }
        }

        return total;
    }
}
