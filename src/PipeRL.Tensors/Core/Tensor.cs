namespace PipeRL.Tensors;

/// <summary>
/// A float32 tensor: a <see cref="Shape"/> over a contiguous, row-major range of a float array (possibly a view
/// of pooled storage). Images are NHWC.
/// </summary>
/// <remarks>
/// <para>Create persistent tensors with <see cref="Zeros(Shape)"/> or <see cref="FromArray"/>; tensors produced while
/// recording a <see cref="Tape"/> live in the tape's pool and are valid until <see cref="Tape.Reset"/>.</para>
/// <para>Read and write the elements through <see cref="Span"/> (no allocation). <see cref="View"/> reinterprets the
/// same storage with another shape of the same length.</para>
/// </remarks>
public sealed class Tensor
{
    private float[] _data;
    private int _offset;

    /// <summary>Wraps <paramref name="data"/> from <paramref name="offset"/> with <paramref name="shape"/>; no copy.</summary>
    public Tensor(float[] data, int offset, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (offset < 0 || offset + shape.Length > data.Length)
        {
            throw new ArgumentException($"A tensor of shape {shape} at offset {offset} does not fit in an array of {data.Length} floats.", nameof(shape));
        }

        _data = data;
        _offset = offset;
        Shape = shape;
    }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; private set; }

    /// <summary>Number of elements.</summary>
    public int Length => Shape.Length;

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span => new(_data, _offset, Shape.Length);

    /// <summary>The backing array (shared with views; elements start at <see cref="Offset"/>).</summary>
    internal float[] Data => _data;

    /// <summary>Index of the first element in <see cref="Data"/>.</summary>
    internal int Offset => _offset;

    /// <summary>Element <paramref name="i"/> of the flattened tensor.</summary>
    public float this[int i]
    {
        get => Span[i];
        set => Span[i] = value;
    }

    /// <summary>Element (<paramref name="row"/>, <paramref name="col"/>) of the tensor read as a [Rows, Last] matrix.</summary>
    public float this[int row, int col]
    {
        get => Span[(row * Shape.Last) + col];
        set => Span[(row * Shape.Last) + col] = value;
    }

    /// <summary>A new zero tensor with its own storage.</summary>
    public static Tensor Zeros(Shape shape) => new(new float[shape.Length], 0, shape);

    /// <summary>A new zero matrix [rows, cols] with its own storage.</summary>
    public static Tensor Zeros(int rows, int cols) => Zeros(new Shape(rows, cols));

    /// <summary>Wraps <paramref name="data"/> (no copy) with <paramref name="shape"/>.</summary>
    public static Tensor FromArray(float[] data, Shape shape) => new(data, 0, shape);

    /// <summary>A new tensor sharing this storage, with another shape of the same length.</summary>
    public Tensor View(Shape shape)
    {
        if (shape.Length != Length)
        {
            throw new ArgumentException($"Cannot view a tensor of shape {Shape} ({Length} elements) as {shape} ({shape.Length} elements).", nameof(shape));
        }

        return new Tensor(_data, _offset, shape);
    }

    /// <summary>A copy with its own storage.</summary>
    public Tensor Clone()
    {
        var copy = Zeros(Shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>Copies <paramref name="source"/> (same length) into this tensor.</summary>
    public void CopyFrom(ReadOnlySpan<float> source)
    {
        if (source.Length != Length)
        {
            throw new ArgumentException($"Cannot copy {source.Length} values into a tensor of shape {Shape} ({Length} elements).", nameof(source));
        }

        source.CopyTo(Span);
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>Formats the shape, e.g. <c>Tensor[2, 3]</c>.</summary>
    public override string ToString() => $"Tensor{Shape}";

    /// <summary>Points this tensor object at other storage; used by pools to reuse tensor objects.</summary>
    internal void Rebind(float[] data, int offset, Shape shape)
    {
        _data = data;
        _offset = offset;
        Shape = shape;
    }

    /// <summary>Changes the shape in place (same or smaller length than the storage allows).</summary>
    internal void Reshape(Shape shape)
    {
        if (_offset + shape.Length > _data.Length)
        {
            throw new ArgumentException($"Shape {shape} does not fit the tensor's storage.", nameof(shape));
        }

        Shape = shape;
    }
}
