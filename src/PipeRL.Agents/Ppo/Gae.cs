namespace PipeRL.Agents.Ppo;

/// <summary>Generalised advantage estimation over a rollout stored step-major (<c>[step, env]</c>).</summary>
public static class Gae
{
    /// <summary>
    /// Writes GAE(λ) advantages. <paramref name="nextValues"/>[t, i] is the critic's value of the state reached by
    /// step t: the next row of <paramref name="values"/> inside an episode, the value of the final observation on a
    /// truncation, the value of the observation after the rollout on its last row. A terminated step bootstraps
    /// nothing; any episode end (terminated or truncated) stops the advantage flowing back across it.
    /// </summary>
    public static void Compute(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> nextValues,
        ReadOnlySpan<bool> terminated,
        ReadOnlySpan<bool> truncated,
        int numEnvs,
        float gamma,
        float lambda,
        Span<float> advantages)
    {
        var length = rewards.Length;
        if (values.Length != length || nextValues.Length != length || terminated.Length != length
            || truncated.Length != length || advantages.Length != length)
        {
            throw new ArgumentException($"GAE inputs must all have {length} elements (steps x envs).");
        }

        if (numEnvs < 1 || length % numEnvs != 0)
        {
            throw new ArgumentException($"GAE buffer length {length} is not a multiple of the env count {numEnvs}.", nameof(numEnvs));
        }

        for (var env = 0; env < numEnvs; env++)
        {
            var running = 0f;
            for (var t = (length / numEnvs) - 1; t >= 0; t--)
            {
                var k = (t * numEnvs) + env;
                var bootstrap = terminated[k] ? 0f : gamma * nextValues[k];
                var delta = rewards[k] + bootstrap - values[k];
                var carry = terminated[k] || truncated[k] ? 0f : gamma * lambda * running;
                running = delta + carry;
                advantages[k] = running;
            }
        }
    }

    /// <summary>Writes the λ-returns (critic targets): advantage plus value.</summary>
    public static void Returns(ReadOnlySpan<float> advantages, ReadOnlySpan<float> values, Span<float> returns)
    {
        if (values.Length != advantages.Length || returns.Length != advantages.Length)
        {
            throw new ArgumentException("Advantages, values and returns must have the same length.");
        }

        for (var i = 0; i < advantages.Length; i++)
        {
            returns[i] = advantages[i] + values[i];
        }
    }
}
