namespace PipeRL.Agents.Ppo;

/// <summary>PPO's per-sample losses with their gradients, as in CleanRL's <c>ppo.py</c>.</summary>
public static class PpoLoss
{
    /// <summary>
    /// The clipped surrogate <c>max(-A·r, -A·clip(r, 1-ε, 1+ε))</c> with <c>r = exp(new - old)</c>; writes its
    /// derivative with respect to the new log-probability and whether the ratio lay outside the clip range.
    /// </summary>
    public static float ClippedSurrogate(float newLogProb, float oldLogProb, float advantage, float clip, out float gradNewLogProb, out bool clipped)
    {
        var ratio = MathF.Exp(newLogProb - oldLogProb);
        var unclippedLoss = -advantage * ratio;
        var clippedLoss = -advantage * Math.Clamp(ratio, 1f - clip, 1f + clip);
        clipped = MathF.Abs(ratio - 1f) > clip;
        if (unclippedLoss >= clippedLoss)
        {
            gradNewLogProb = -advantage * ratio;
            return unclippedLoss;
        }

        gradNewLogProb = 0f;
        return clippedLoss;
    }

    /// <summary>
    /// The clipped value loss <c>0.5·max((v - R)², (v_old + clip(v - v_old, -ε, ε) - R)²)</c>; writes its derivative
    /// with respect to the new value.
    /// </summary>
    public static float ClippedValue(float newValue, float oldValue, float target, float clip, out float gradNewValue)
    {
        var unclipped = (newValue - target) * (newValue - target);
        var clippedValue = oldValue + Math.Clamp(newValue - oldValue, -clip, clip);
        var clippedLoss = (clippedValue - target) * (clippedValue - target);
        if (unclipped >= clippedLoss)
        {
            gradNewValue = newValue - target;
            return 0.5f * unclipped;
        }

        // The clipped branch only wins when the new value left the clip range, where it is flat.
        gradNewValue = 0f;
        return 0.5f * clippedLoss;
    }

    /// <summary>The plain value loss <c>0.5·(v - R)²</c>; writes its derivative with respect to the value.</summary>
    public static float Value(float newValue, float target, out float gradNewValue)
    {
        gradNewValue = newValue - target;
        return 0.5f * gradNewValue * gradNewValue;
    }

    /// <summary>CleanRL's low-variance KL estimate <c>(r - 1) - log r</c> for one sample.</summary>
    public static float ApproxKl(float newLogProb, float oldLogProb)
    {
        var logRatio = newLogProb - oldLogProb;
        return MathF.Exp(logRatio) - 1f - logRatio;
    }
}
