using PipeRL.Agents.Distributions;
using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Sac;

/// <summary>
/// An off-policy learner's acting distribution: uniformly random actions over the action space while
/// <see cref="Uniform"/> is set (before learning starts), the learned policy's samples afterwards.
/// </summary>
public sealed class WarmUpPolicy : PolicyDistribution
{
    private readonly PolicyDistribution _policy;
    private readonly Space _space;

    /// <summary>Acts uniformly over <paramref name="space"/> until <see cref="Uniform"/> is cleared, then as <paramref name="policy"/>.</summary>
    public WarmUpPolicy(PolicyDistribution policy, Space space)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(space);
        if (space is BoxSpace box && !Enumerable.Range(0, box.FlatSize).All(d => float.IsFinite(box.Low[d]) && float.IsFinite(box.High[d])))
        {
            throw new ArgumentException($"Uniform warm-up actions need a bounded action box, got {space}.", nameof(space));
        }

        (_policy, _space) = (policy, space);
    }

    /// <summary>Whether samples are uniform over the action space (log-probability reported as 0).</summary>
    public bool Uniform { get; set; } = true;

    /// <inheritdoc/>
    public override int OutputSize => _policy.OutputSize;

    /// <inheritdoc/>
    public override int ActionSize => _policy.ActionSize;

    /// <inheritdoc/>
    public override float Sample(ReadOnlySpan<float> output, SeededRandom random, Span<float> action)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!Uniform)
        {
            return _policy.Sample(output, random, action);
        }

        switch (_space)
        {
            case DiscreteSpace discrete:
                action[0] = random.NextInt(discrete.N);
                break;
            case BoxSpace box:
                for (var d = 0; d < action.Length; d++)
                {
                    action[d] = (float)random.Uniform(box.Low[d], box.High[d]);
                }

                break;
            default:
                throw new InvalidOperationException($"No uniform actions over {_space}.");
        }

        return 0f;
    }

    /// <inheritdoc/>
    public override void Greedy(ReadOnlySpan<float> output, Span<float> action) => _policy.Greedy(output, action);

    /// <inheritdoc/>
    public override (float LogProb, float Entropy) Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> action) => _policy.Evaluate(output, action);

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> output, ReadOnlySpan<float> action, float gradLogProb, float gradEntropy, Span<float> gradOutput) =>
        _policy.Backward(output, action, gradLogProb, gradEntropy, gradOutput);

    /// <inheritdoc/>
    public override void ToEnv(ReadOnlySpan<float> action, Span<float> envAction) => _policy.ToEnv(action, envAction);
}
