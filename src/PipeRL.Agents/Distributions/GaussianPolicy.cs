using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Distributions;

/// <summary>
/// A diagonal Gaussian policy from an output row [means; log-stds] (log-std clamped to [−5, 2], where its gradient
/// stops); samples are clipped to the action box only when sent to the env, as CleanRL's <c>ClipAction</c>.
/// </summary>
public sealed class GaussianPolicy : PolicyDistribution
{
    private const float MinLogStd = -5f;
    private const float MaxLogStd = 2f;
    private readonly float[] _low;
    private readonly float[] _high;
    private readonly float[] _logStd;
    private readonly float[] _noise;

    /// <summary>A policy over the box <paramref name="space"/>.</summary>
    public GaussianPolicy(BoxSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        Dimensions = space.FlatSize;
        _low = space.Low.ToArray();
        _high = space.High.ToArray();
        _logStd = new float[Dimensions];
        _noise = new float[Dimensions];
    }

    /// <summary>Action dimensions.</summary>
    public int Dimensions { get; }

    /// <inheritdoc/>
    public override int OutputSize => 2 * Dimensions;

    /// <inheritdoc/>
    public override int ActionSize => Dimensions;

    /// <inheritdoc/>
    public override float Sample(ReadOnlySpan<float> output, SeededRandom random, Span<float> action)
    {
        var mean = Clamped(output);
        for (var d = 0; d < Dimensions; d++)
        {
            _noise[d] = (float)random.NextGaussian();
        }

        DiagonalGaussian.Sample(mean, _logStd, _noise, action);
        return DiagonalGaussian.LogProb(mean, _logStd, action);
    }

    /// <inheritdoc/>
    public override void Greedy(ReadOnlySpan<float> output, Span<float> action) => output[..Dimensions].CopyTo(action);

    /// <inheritdoc/>
    public override (float LogProb, float Entropy) Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> action)
    {
        var mean = Clamped(output);
        return (DiagonalGaussian.LogProb(mean, _logStd, action), DiagonalGaussian.Entropy(_logStd));
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> output, ReadOnlySpan<float> action, float gradLogProb, float gradEntropy, Span<float> gradOutput)
    {
        var mean = Clamped(output);
        DiagonalGaussian.Backward(mean, _logStd, action, gradLogProb, gradEntropy, gradOutput[..Dimensions], gradOutput[Dimensions..]);
        for (var d = 0; d < Dimensions; d++)
        {
            var raw = output[Dimensions + d];
            if (raw < MinLogStd || raw > MaxLogStd)
            {
                gradOutput[Dimensions + d] = 0f;
            }
        }
    }

    /// <inheritdoc/>
    public override void ToEnv(ReadOnlySpan<float> action, Span<float> envAction)
    {
        for (var d = 0; d < Dimensions; d++)
        {
            envAction[d] = Math.Clamp(action[d], _low[d], _high[d]);
        }
    }

    private ReadOnlySpan<float> Clamped(ReadOnlySpan<float> output)
    {
        for (var d = 0; d < Dimensions; d++)
        {
            _logStd[d] = Math.Clamp(output[Dimensions + d], MinLogStd, MaxLogStd);
        }

        return output[..Dimensions];
    }
}
