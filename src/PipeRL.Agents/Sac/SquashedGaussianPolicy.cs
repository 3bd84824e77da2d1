using PipeRL.Agents.Distributions;
using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Sac;

/// <summary>
/// SAC's acting distribution over a box (see <see cref="SquashedGaussian"/>): samples always lie inside the box, the
/// greedy action is <c>tanh(μ) · scale + bias</c>. SAC trains it through the critic (reparameterised), so there is no
/// likelihood-ratio gradient.
/// </summary>
public sealed class SquashedGaussianPolicy : PolicyDistribution
{
    private readonly float[] _noise;

    /// <summary>A policy over the bounded box <paramref name="space"/>.</summary>
    public SquashedGaussianPolicy(BoxSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        Dimensions = space.FlatSize;
        var scale = new float[Dimensions];
        var bias = new float[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            var (low, high) = (space.Low[d], space.High[d]);
            if (!float.IsFinite(low) || !float.IsFinite(high) || !(high > low))
            {
                throw new ArgumentException($"SAC needs a bounded action box; dimension {d} of {space} is [{low}, {high}].", nameof(space));
            }

            scale[d] = (high - low) / 2f;
            bias[d] = (high + low) / 2f;
        }

        (Scale, Bias) = (scale, bias);
        _noise = new float[Dimensions];
    }

    /// <summary>Action dimensions.</summary>
    public int Dimensions { get; }

    /// <summary>Half the box's width per dimension.</summary>
    public float[] Scale { get; }

    /// <summary>The box's centre per dimension.</summary>
    public float[] Bias { get; }

    /// <inheritdoc/>
    public override int OutputSize => 2 * Dimensions;

    /// <inheritdoc/>
    public override int ActionSize => Dimensions;

    /// <inheritdoc/>
    public override float Sample(ReadOnlySpan<float> output, SeededRandom random, Span<float> action)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (var d = 0; d < Dimensions; d++)
        {
            _noise[d] = (float)random.NextGaussian();
        }

        return SquashedGaussian.Sample(output[..Dimensions], output[Dimensions..], _noise, Scale, Bias, action);
    }

    /// <inheritdoc/>
    public override void Greedy(ReadOnlySpan<float> output, Span<float> action) => SquashedGaussian.Greedy(output[..Dimensions], Scale, Bias, action);

    /// <summary>The log-probability of <paramref name="action"/> (inside the box) and, as the entropy, its single-sample estimate −log π(a).</summary>
    public override (float LogProb, float Entropy) Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> action)
    {
        for (var d = 0; d < Dimensions; d++)
        {
            var y = Math.Clamp((action[d] - Bias[d]) / Scale[d], -1f + 1e-6f, 1f - 1e-6f);
            var logStd = SquashedGaussian.LogStd(output[Dimensions + d]);
            _noise[d] = (MathF.Atanh(y) - output[d]) / MathF.Exp(logStd);
        }

        var logProb = SquashedGaussian.Sample(output[..Dimensions], output[Dimensions..], _noise, Scale, Bias, stackalloc float[Dimensions]);
        return (logProb, -logProb);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> output, ReadOnlySpan<float> action, float gradLogProb, float gradEntropy, Span<float> gradOutput) =>
        throw new NotSupportedException("SAC's squashed Gaussian is trained through the critic (SquashedGaussian.Backward), not by likelihood-ratio gradients.");
}
