using PipeRL.Agents.Distributions;

namespace PipeRL.Agents.Sac;

/// <summary>
/// SAC's soft Bellman targets <c>y = r + γ (1 − done) V(s′)</c> with <c>V(s′) = min(Q′₁, Q′₂) − α log π(a′|s′)</c>.
/// <c>done</c> is whatever stops bootstrapping: a termination, and also a time-limit truncation under the authors'
/// handling; PipeRL's default bootstraps a truncation from the observation the episode was cut in.
/// </summary>
public static class SoftQTarget
{
    /// <summary>Continuous SAC: <paramref name="nextLogProbs"/> is log π of the action a′ sampled at each next state.</summary>
    public static void Continuous(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<bool> done,
        ReadOnlySpan<float> nextQ1,
        ReadOnlySpan<float> nextQ2,
        ReadOnlySpan<float> nextLogProbs,
        float alpha,
        float gamma,
        Span<float> targets)
    {
        var n = rewards.Length;
        if (done.Length != n || nextQ1.Length != n || nextQ2.Length != n || nextLogProbs.Length != n || targets.Length != n)
        {
            throw new ArgumentException($"Soft targets need {n} values in every span.", nameof(rewards));
        }

        for (var i = 0; i < n; i++)
        {
            var next = MathF.Min(nextQ1[i], nextQ2[i]) - (alpha * nextLogProbs[i]);
            targets[i] = rewards[i] + (done[i] ? 0f : gamma * next);
        }
    }

    /// <summary>
    /// Discrete SAC: the next state's value is the expectation over the categorical policy,
    /// <c>Σ_a π(a|s′) (min(Q′₁, Q′₂)(s′, a) − α log π(a|s′))</c>; <paramref name="nextLogits"/>, <paramref name="nextQ1"/>
    /// and <paramref name="nextQ2"/> are [batch, actions] rows.
    /// </summary>
    public static void Discrete(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<bool> done,
        ReadOnlySpan<float> nextLogits,
        ReadOnlySpan<float> nextQ1,
        ReadOnlySpan<float> nextQ2,
        int actions,
        float alpha,
        float gamma,
        Span<float> targets)
    {
        var n = rewards.Length;
        if (done.Length != n || targets.Length != n || nextLogits.Length != n * actions || nextQ1.Length != n * actions || nextQ2.Length != n * actions)
        {
            throw new ArgumentException($"Discrete soft targets need {n} rewards, flags and targets and {n} x {actions} logits and Q values.", nameof(rewards));
        }

        Span<float> logProbs = actions <= DiscreteSacLoss.MaxStackActions ? stackalloc float[actions] : new float[actions];
        for (var i = 0; i < n; i++)
        {
            var row = i * actions;
            Categorical.LogSoftmax(nextLogits.Slice(row, actions), logProbs);
            var value = 0f;
            for (var a = 0; a < actions; a++)
            {
                value += MathF.Exp(logProbs[a]) * (MathF.Min(nextQ1[row + a], nextQ2[row + a]) - (alpha * logProbs[a]));
            }

            targets[i] = rewards[i] + (done[i] ? 0f : gamma * value);
        }
    }
}
