using PipeRL.Agents.Distributions;

namespace PipeRL.Agents.Sac;

/// <summary>
/// Discrete SAC's actor loss as an expectation over the categorical policy (no sampling), averaged over the batch:
/// <c>mean_b Σ_a π(a|s) (α log π(a|s) − min(Q₁, Q₂)(s, a))</c>, with its gradient with respect to the logits.
/// </summary>
public static class DiscreteSacLoss
{
    /// <summary>Action counts up to this are handled on the stack.</summary>
    public const int MaxStackActions = 256;

    /// <summary>
    /// Returns the actor loss for [batch, actions] <paramref name="logits"/> and Q values, and writes its gradient
    /// <c>(1/B) π_j (f_j − Σ_a π_a f_a)</c>, <c>f_a = α log π_a − min Q_a</c>, into <paramref name="gradLogits"/>.
    /// </summary>
    public static float Actor(ReadOnlySpan<float> logits, ReadOnlySpan<float> q1, ReadOnlySpan<float> q2, int actions, float alpha, Span<float> gradLogits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(actions, 1);
        if (logits.Length % actions != 0 || q1.Length != logits.Length || q2.Length != logits.Length || gradLogits.Length != logits.Length)
        {
            throw new ArgumentException($"The actor loss needs logits, Q values and gradients of [batch, {actions}] each.", nameof(logits));
        }

        var rows = logits.Length / actions;
        Span<float> logProbs = actions <= MaxStackActions ? stackalloc float[actions] : new float[actions];
        Span<float> f = actions <= MaxStackActions ? stackalloc float[actions] : new float[actions];
        var loss = 0.0;
        var inverseRows = 1f / rows;
        for (var i = 0; i < rows; i++)
        {
            var row = i * actions;
            Categorical.LogSoftmax(logits.Slice(row, actions), logProbs);
            var expected = 0f;
            for (var a = 0; a < actions; a++)
            {
                f[a] = (alpha * logProbs[a]) - MathF.Min(q1[row + a], q2[row + a]);
                expected += MathF.Exp(logProbs[a]) * f[a];
            }

            loss += expected;
            for (var a = 0; a < actions; a++)
            {
                gradLogits[row + a] = inverseRows * MathF.Exp(logProbs[a]) * (f[a] - expected);
            }
        }

        return (float)(loss / rows);
    }
}
