namespace PipeRL.Envs;

/// <summary>The set of valid observations or actions of an environment (Gymnasium's <c>Space</c>).</summary>
public abstract class Space
{
    /// <summary>Number of float32 values that carry one element of this space in a flat buffer.</summary>
    public abstract int FlatSize { get; }

    /// <summary>Whether <paramref name="value"/> (in its flat float form) is an element of this space.</summary>
    public abstract bool Contains(ReadOnlySpan<float> value);
}
