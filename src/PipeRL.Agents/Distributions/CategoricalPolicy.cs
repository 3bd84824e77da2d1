using PipeRL.Tensors;

namespace PipeRL.Agents.Distributions;

/// <summary>A categorical policy over <see cref="Actions"/> actions from a row of logits; an action is one float holding its index.</summary>
public sealed class CategoricalPolicy(int actions) : PolicyDistribution
{
    private readonly float[] _logProbs = new float[actions];

    /// <summary>Number of actions.</summary>
    public int Actions { get; } = actions;

    /// <inheritdoc/>
    public override int OutputSize => Actions;

    /// <inheritdoc/>
    public override int ActionSize => 1;

    /// <inheritdoc/>
    public override float Sample(ReadOnlySpan<float> output, SeededRandom random, Span<float> action)
    {
        Categorical.LogSoftmax(output, _logProbs);
        var a = Categorical.Sample(_logProbs, random.NextDouble());
        action[0] = a;
        return _logProbs[a];
    }

    /// <inheritdoc/>
    public override void Greedy(ReadOnlySpan<float> output, Span<float> action) => action[0] = Categorical.Mode(output);

    /// <inheritdoc/>
    public override (float LogProb, float Entropy) Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> action)
    {
        Categorical.LogSoftmax(output, _logProbs);
        return (_logProbs[(int)action[0]], Categorical.Entropy(_logProbs));
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> output, ReadOnlySpan<float> action, float gradLogProb, float gradEntropy, Span<float> gradOutput)
    {
        Categorical.LogSoftmax(output, _logProbs);
        Categorical.Backward(_logProbs, (int)action[0], gradLogProb, gradEntropy, gradOutput);
    }
}
