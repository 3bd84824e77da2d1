namespace PipeRL.Agents.Ppo;

/// <summary>Advantage normalisation to zero mean and unit (unbiased, PyTorch's) standard deviation.</summary>
public static class AdvantageNormalization
{
    /// <summary>The epsilon added to the standard deviation, as in CleanRL.</summary>
    public const float Epsilon = 1e-8f;

    /// <summary>Normalises <paramref name="advantages"/> in place over all its elements (CleanRL's minibatch form).</summary>
    public static void Batch(Span<float> advantages)
    {
        var (mean, std) = MeanStd(advantages, 0, 1, advantages.Length);
        var scale = 1f / (std + Epsilon);
        for (var i = 0; i < advantages.Length; i++)
        {
            advantages[i] = (advantages[i] - mean) * scale;
        }
    }

    /// <summary>Normalises each step's row <c>[step, env]</c> over its envs in place (the authors' per-step form).</summary>
    public static void PerStep(Span<float> advantages, int numEnvs)
    {
        if (numEnvs < 1 || advantages.Length % numEnvs != 0)
        {
            throw new ArgumentException($"Length {advantages.Length} is not a multiple of the env count {numEnvs}.", nameof(numEnvs));
        }

        for (var start = 0; start < advantages.Length; start += numEnvs)
        {
            Batch(advantages.Slice(start, numEnvs));
        }
    }

    /// <summary>Mean and unbiased standard deviation of <paramref name="count"/> elements from <paramref name="start"/> by <paramref name="stride"/>; std is 0 below two elements.</summary>
    public static (float Mean, float Std) MeanStd(ReadOnlySpan<float> values, int start, int stride, int count)
    {
        if (count == 0)
        {
            return (0f, 0f);
        }

        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += values[start + (i * stride)];
        }

        var mean = sum / count;
        if (count < 2)
        {
            return ((float)mean, 0f);
        }

        var squares = 0.0;
        for (var i = 0; i < count; i++)
        {
            var d = values[start + (i * stride)] - mean;
            squares += d * d;
        }

        return ((float)mean, (float)Math.Sqrt(squares / (count - 1)));
    }
}
