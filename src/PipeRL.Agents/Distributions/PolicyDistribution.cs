using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Distributions;

/// <summary>How an actor's output row becomes an action: sampling, greedy choice, log-probability, entropy and their gradients.</summary>
public abstract class PolicyDistribution
{
    /// <summary>Floats of one output row.</summary>
    public abstract int OutputSize { get; }

    /// <summary>Floats of one action in an env's action buffer.</summary>
    public abstract int ActionSize { get; }

    /// <summary>The distribution for the action space <paramref name="space"/>: categorical for discrete, diagonal Gaussian for a box.</summary>
    public static PolicyDistribution For(Space space) => space switch
    {
        DiscreteSpace d => new CategoricalPolicy(d.N),
        BoxSpace b => new GaussianPolicy(b),
        _ => throw new ArgumentException($"No policy distribution for action space {space}."),
    };

    /// <summary>Samples an action from <paramref name="output"/> into <paramref name="action"/>; returns its log-probability.</summary>
    public abstract float Sample(ReadOnlySpan<float> output, SeededRandom random, Span<float> action);

    /// <summary>Writes the most probable action.</summary>
    public abstract void Greedy(ReadOnlySpan<float> output, Span<float> action);

    /// <summary>The log-probability of <paramref name="action"/> and the entropy.</summary>
    public abstract (float LogProb, float Entropy) Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> action);

    /// <summary>Writes d(gradLogProb·log p(action) + gradEntropy·H)/d output.</summary>
    public abstract void Backward(ReadOnlySpan<float> output, ReadOnlySpan<float> action, float gradLogProb, float gradEntropy, Span<float> gradOutput);

    /// <summary>Maps a sampled action to what the env accepts (a Gaussian sample is clipped to the box); the default copies.</summary>
    public virtual void ToEnv(ReadOnlySpan<float> action, Span<float> envAction) => action.CopyTo(envAction);
}
