using PipeRL.Agents.Distributions;

namespace PipeRL.Agents.Sac;

/// <summary>
/// SAC's automatic temperature (CleanRL's form): the loss <c>−α · mean(log π + H̄)</c> with <c>α = exp(log α)</c> and
/// the policy terms held fixed, so log α rises while the policy's entropy is below the target H̄ and falls above it.
/// Its gradient with respect to log α equals the loss.
/// </summary>
public static class TemperatureLoss
{
    /// <summary>The continuous target entropy, <c>−|A|</c>.</summary>
    public static float ContinuousTargetEntropy(int actionDimensions) => -actionDimensions;

    /// <summary>The discrete target entropy, <c>scale · ln |A|</c> (the workshop code's scale is 0.89 · 0.5).</summary>
    public static float DiscreteTargetEntropy(int actions, float scale) => scale * MathF.Log(actions);

    /// <summary>Continuous SAC: returns the loss for the log-probabilities of freshly sampled actions, which is also d loss / d log α.</summary>
    public static float Continuous(float logAlpha, ReadOnlySpan<float> logProbs, float targetEntropy)
    {
        if (logProbs.IsEmpty)
        {
            throw new ArgumentException("The temperature loss needs at least one log-probability.", nameof(logProbs));
        }

        var sum = 0.0;
        foreach (var lp in logProbs)
        {
            sum += lp + targetEntropy;
        }

        return (float)(-Math.Exp(logAlpha) * sum / logProbs.Length);
    }

    /// <summary>
    /// Discrete SAC: the expectation over the categorical policy of [batch, actions] <paramref name="logits"/>,
    /// <c>−α · mean_b Σ_a π_a (log π_a + H̄)</c>; returns the loss, which is also d loss / d log α.
    /// </summary>
    public static float Discrete(float logAlpha, ReadOnlySpan<float> logits, int actions, float targetEntropy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(actions, 1);
        if (logits.IsEmpty || logits.Length % actions != 0)
        {
            throw new ArgumentException($"The temperature loss needs logits of [batch, {actions}].", nameof(logits));
        }

        Span<float> logProbs = actions <= DiscreteSacLoss.MaxStackActions ? stackalloc float[actions] : new float[actions];
        var rows = logits.Length / actions;
        var sum = 0.0;
        for (var i = 0; i < rows; i++)
        {
            Categorical.LogSoftmax(logits.Slice(i * actions, actions), logProbs);
            foreach (var lp in logProbs)
            {
                sum += MathF.Exp(lp) * (lp + targetEntropy);
            }
        }

        return (float)(-Math.Exp(logAlpha) * sum / rows);
    }
}
