namespace PipeRL.Agents.Sac;

/// <summary>
/// SAC's tanh-squashed diagonal Gaussian policy as the authors (and CleanRL) wrote it, from an actor output row
/// [means; raw log-stds]: <c>log σ = −5 + 3.5 (tanh(s) + 1)</c>, <c>a = tanh(μ + σ ε) · scale + bias</c>, and the
/// log-probability of <c>a</c> with the change-of-variables correction <c>−log(scale (1 − tanh²) + 1e-6)</c>.
/// </summary>
public static class SquashedGaussian
{
    /// <summary>The smallest log standard deviation.</summary>
    public const float MinLogStd = -5f;

    /// <summary>The largest log standard deviation.</summary>
    public const float MaxLogStd = 2f;

    private const float CorrectionEpsilon = 1e-6f;
    private const float HalfRange = 0.5f * (MaxLogStd - MinLogStd);
    private static readonly float HalfLogTwoPi = 0.5f * MathF.Log(2f * MathF.PI);

    /// <summary>The log standard deviation of a raw head value: <c>−5 + 3.5 (tanh(s) + 1)</c>, always in [−5, 2].</summary>
    public static float LogStd(float raw) => MinLogStd + (HalfRange * (MathF.Tanh(raw) + 1f));

    /// <summary>
    /// Writes the reparameterised sample <c>tanh(μ + σ ε) · scale + bias</c> for standard-normal
    /// <paramref name="noise"/> into <paramref name="action"/>; returns its log-probability summed over dimensions.
    /// </summary>
    public static float Sample(
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rawLogStd,
        ReadOnlySpan<float> noise,
        ReadOnlySpan<float> scale,
        ReadOnlySpan<float> bias,
        Span<float> action)
    {
        var logProb = 0f;
        for (var d = 0; d < mean.Length; d++)
        {
            var logStd = LogStd(rawLogStd[d]);
            var y = MathF.Tanh(mean[d] + (MathF.Exp(logStd) * noise[d]));
            action[d] = (y * scale[d]) + bias[d];
            logProb += (-0.5f * noise[d] * noise[d]) - logStd - HalfLogTwoPi - MathF.Log((scale[d] * (1f - (y * y))) + CorrectionEpsilon);
        }

        return logProb;
    }

    /// <summary>Writes the greedy action <c>tanh(μ) · scale + bias</c> (the authors' evaluation action).</summary>
    public static void Greedy(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, Span<float> action)
    {
        for (var d = 0; d < mean.Length; d++)
        {
            action[d] = (MathF.Tanh(mean[d]) * scale[d]) + bias[d];
        }
    }

    /// <summary>
    /// Writes the gradients, with respect to the means and the raw log-stds, of a loss whose gradients with respect
    /// to the sample <see cref="Sample"/> drew with the same <paramref name="noise"/> are <paramref name="gradAction"/>
    /// (per dimension) and <paramref name="gradLogProb"/> (for its log-probability): the reparameterisation gradient.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rawLogStd,
        ReadOnlySpan<float> noise,
        ReadOnlySpan<float> scale,
        ReadOnlySpan<float> gradAction,
        float gradLogProb,
        Span<float> gradMean,
        Span<float> gradRawLogStd)
    {
        for (var d = 0; d < mean.Length; d++)
        {
            var tanhRaw = MathF.Tanh(rawLogStd[d]);
            var std = MathF.Exp(MinLogStd + (HalfRange * (tanhRaw + 1f)));
            var y = MathF.Tanh(mean[d] + (std * noise[d]));
            var slope = scale[d] * (1f - (y * y));

            // d/du of the action and of the correction −log(scale (1 − tanh²u) + ε), with u = μ + σ ε.
            var gradU = (gradAction[d] * slope) + (gradLogProb * 2f * y * slope / (slope + CorrectionEpsilon));
            gradMean[d] = gradU;

            // log N(u; μ, σ) = −ε²/2 − log σ − log √(2π) along the reparameterised path.
            var gradLogStd = (gradU * std * noise[d]) - gradLogProb;
            gradRawLogStd[d] = gradLogStd * HalfRange * (1f - (tanhRaw * tanhRaw));
        }
    }
}
