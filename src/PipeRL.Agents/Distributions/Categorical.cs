namespace PipeRL.Agents.Distributions;

/// <summary>A categorical distribution given by one row of logits: sampling, log-probability, entropy and their gradients.</summary>
public static class Categorical
{
    /// <summary>Writes the log-softmax of <paramref name="logits"/> into <paramref name="logProbs"/>.</summary>
    public static void LogSoftmax(ReadOnlySpan<float> logits, Span<float> logProbs)
    {
        var max = float.NegativeInfinity;
        foreach (var z in logits)
        {
            max = MathF.Max(max, z);
        }

        var sum = 0.0;
        foreach (var z in logits)
        {
            sum += Math.Exp(z - max);
        }

        var logSum = max + (float)Math.Log(sum);
        for (var j = 0; j < logits.Length; j++)
        {
            logProbs[j] = logits[j] - logSum;
        }
    }

    /// <summary>The entropy <c>-Σ p log p</c> for the log-probabilities <paramref name="logProbs"/>.</summary>
    public static float Entropy(ReadOnlySpan<float> logProbs)
    {
        var h = 0f;
        foreach (var lp in logProbs)
        {
            h -= MathF.Exp(lp) * lp;
        }

        return h;
    }

    /// <summary>Samples an index by inverting the CDF at <paramref name="uniform"/> in [0, 1).</summary>
    public static int Sample(ReadOnlySpan<float> logProbs, double uniform)
    {
        var cumulative = 0.0;
        for (var j = 0; j < logProbs.Length; j++)
        {
            cumulative += Math.Exp(logProbs[j]);
            if (uniform < cumulative)
            {
                return j;
            }
        }

        // Rounding can leave the CDF a hair below 1: the last index with mass takes the rest.
        for (var j = logProbs.Length - 1; j > 0; j--)
        {
            if (logProbs[j] > float.NegativeInfinity)
            {
                return j;
            }
        }

        return 0;
    }

    /// <summary>The most probable index (the first on ties).</summary>
    public static int Mode(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var j = 1; j < logits.Length; j++)
        {
            if (logits[j] > logits[best])
            {
                best = j;
            }
        }

        return best;
    }

    /// <summary>
    /// Writes the gradient with respect to the logits of <c>gradLogProb·log p(action) + gradEntropy·H</c>, given the
    /// log-probabilities: <c>gradLogProb·(1[j=a] - p_j) - gradEntropy·p_j·(log p_j + H)</c>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> logProbs, int action, float gradLogProb, float gradEntropy, Span<float> gradLogits)
    {
        var entropy = Entropy(logProbs);
        for (var j = 0; j < logProbs.Length; j++)
        {
            var p = MathF.Exp(logProbs[j]);
            var g = (gradLogProb * ((j == action ? 1f : 0f) - p)) - (gradEntropy * p * (logProbs[j] + entropy));
            gradLogits[j] = g;
        }
    }
}
