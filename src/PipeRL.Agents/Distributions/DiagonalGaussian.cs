namespace PipeRL.Agents.Distributions;

/// <summary>A diagonal Gaussian given by means and log standard deviations: log-probability, entropy and their gradients.</summary>
public static class DiagonalGaussian
{
    private static readonly float HalfLogTwoPi = 0.5f * MathF.Log(2f * MathF.PI);

    /// <summary>The log-density of <paramref name="action"/>, summed over dimensions.</summary>
    public static float LogProb(ReadOnlySpan<float> mean, ReadOnlySpan<float> logStd, ReadOnlySpan<float> action)
    {
        var lp = 0f;
        for (var d = 0; d < mean.Length; d++)
        {
            var z = (action[d] - mean[d]) / MathF.Exp(logStd[d]);
            lp += (-0.5f * z * z) - logStd[d] - HalfLogTwoPi;
        }

        return lp;
    }

    /// <summary>The entropy, summed over dimensions: <c>Σ log σ + ½(1 + log 2π)</c>.</summary>
    public static float Entropy(ReadOnlySpan<float> logStd)
    {
        var h = 0f;
        foreach (var s in logStd)
        {
            h += s + 0.5f + HalfLogTwoPi;
        }

        return h;
    }

    /// <summary>Writes <c>mean + σ·noise</c> into <paramref name="action"/> for standard-normal <paramref name="noise"/>.</summary>
    public static void Sample(ReadOnlySpan<float> mean, ReadOnlySpan<float> logStd, ReadOnlySpan<float> noise, Span<float> action)
    {
        for (var d = 0; d < mean.Length; d++)
        {
            action[d] = mean[d] + (MathF.Exp(logStd[d]) * noise[d]);
        }
    }

    /// <summary>
    /// Writes the gradients of <c>gradLogProb·log p(action) + gradEntropy·H</c> with respect to the means and log
    /// standard deviations: <c>gradLogProb·z/σ</c> and <c>gradLogProb·(z² - 1) + gradEntropy</c>.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> logStd,
        ReadOnlySpan<float> action,
        float gradLogProb,
        float gradEntropy,
        Span<float> gradMean,
        Span<float> gradLogStd)
    {
        for (var d = 0; d < mean.Length; d++)
        {
            var sigma = MathF.Exp(logStd[d]);
            var z = (action[d] - mean[d]) / sigma;
            gradMean[d] = gradLogProb * z / sigma;
            gradLogStd[d] = (gradLogProb * ((z * z) - 1f)) + gradEntropy;
        }
    }
}
