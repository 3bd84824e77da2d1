using PipeRL.Tensors;

namespace PipeRL.Agents.Sac;

/// <summary>Target networks: <c>θ′ ← τ θ + (1 − τ) θ′</c> (τ = 1 is a hard copy).</summary>
public static class PolyakUpdate
{
    /// <summary>Moves every parameter of <paramref name="target"/> towards the same-position parameter of <paramref name="source"/>.</summary>
    public static void Apply(IReadOnlyList<Parameter> source, IReadOnlyList<Parameter> target, float tau)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (!(tau is > 0f and <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(tau), $"The Polyak coefficient must be in (0, 1], got {tau}.");
        }

        if (source.Count != target.Count)
        {
            throw new ArgumentException($"The target has {target.Count} parameters, the source {source.Count}.", nameof(target));
        }

        for (var p = 0; p < source.Count; p++)
        {
            if (source[p].Shape != target[p].Shape)
            {
                throw new ArgumentException($"Parameter {target[p]} does not match {source[p]}.", nameof(target));
            }

            var s = source[p].Value.Span;
            var t = target[p].Value.Span;
            if (tau == 1f)
            {
                s.CopyTo(t);
            }
            else
            {
                for (var i = 0; i < t.Length; i++)
                {
                    t[i] = (tau * s[i]) + ((1f - tau) * t[i]);
                }
            }

            target[p].MarkChanged();
        }
    }
}
