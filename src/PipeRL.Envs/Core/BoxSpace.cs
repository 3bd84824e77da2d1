namespace PipeRL.Envs;

/// <summary>
/// A box of float32 arrays of a fixed shape with element-wise bounds (Gymnasium's <c>Box</c>); a binary box
/// (<see cref="Binary"/>, Gymnasium's <c>Box(0, 1, dtype=bool)</c>) holds only 0 and 1.
/// </summary>
public sealed class BoxSpace : Space
{
    private readonly float[] _low;
    private readonly float[] _high;

    /// <summary>Creates a box of <paramref name="shape"/> where every element lies in [low, high].</summary>
    public BoxSpace(int[] shape, float low, float high)
        : this(shape, Filled(shape, low), Filled(shape, high))
    {
    }

    /// <summary>Creates a box of <paramref name="shape"/> with per-element bounds (row-major, as the flat buffer).</summary>
    public BoxSpace(int[] shape, float[] low, float[] high)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || Array.Exists(shape, d => d <= 0))
        {
            throw new ArgumentException($"Box shape must be non-empty with positive dimensions, got [{string.Join(", ", shape)}].", nameof(shape));
        }

        var size = Volume(shape);
        if (low.Length != size || high.Length != size)
        {
            throw new ArgumentException($"Box bounds must have {size} elements to match shape [{string.Join(", ", shape)}].");
        }

        Shape = (int[])shape.Clone();
        _low = (float[])low.Clone();
        _high = (float[])high.Clone();
    }

    /// <summary>A box of <paramref name="shape"/> whose elements are 0 or 1 (MinAtar's boolean channels).</summary>
    public static BoxSpace Binary(int[] shape) => new(shape, 0f, 1f) { IsBinary = true };

    /// <summary>Whether every element is 0 or 1, so a value fits in a byte (replays store such inputs in a quarter of the memory).</summary>
    public bool IsBinary { get; private init; }

    /// <summary>The shape of one element, row-major.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Element-wise lower bounds (may be negative infinity).</summary>
    public ReadOnlySpan<float> Low => _low;

    /// <summary>Element-wise upper bounds (may be positive infinity).</summary>
    public ReadOnlySpan<float> High => _high;

    /// <inheritdoc/>
    public override int FlatSize => _low.Length;

    /// <inheritdoc/>
    public override bool Contains(ReadOnlySpan<float> value)
    {
        if (value.Length != _low.Length)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (!(value[i] >= _low[i] && value[i] <= _high[i]) || (IsBinary && value[i] != 0f && value[i] != 1f))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Box([{string.Join(", ", Shape)}]{(IsBinary ? ", binary" : "")})";

    private static int Volume(int[] shape)
    {
        var size = 1;
        foreach (var d in shape)
        {
            size *= d;
        }

        return size;
    }

    private static float[] Filled(int[] shape, float value)
    {
        var values = new float[Volume(shape)];
        Array.Fill(values, value);
        return values;
    }
}
