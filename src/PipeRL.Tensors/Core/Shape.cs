namespace PipeRL.Tensors;

/// <summary>
/// The dimensions of a tensor, rank 1 to 4, row-major (the last dimension is contiguous); a value type, so
/// creating one allocates nothing. Images are NHWC: [batch, height, width, channels], so "features" of a
/// matrix and "channels" of an image are both the last dimension.
/// </summary>
public readonly struct Shape : IEquatable<Shape>
{
    private readonly int _d0;
    private readonly int _d1;
    private readonly int _d2;
    private readonly int _d3;

    /// <summary>A rank-1 shape.</summary>
    public Shape(int d0)
        : this(1, d0, 0, 0, 0)
    {
    }

    /// <summary>A rank-2 shape, e.g. [batch, features].</summary>
    public Shape(int d0, int d1)
        : this(2, d0, d1, 0, 0)
    {
    }

    /// <summary>A rank-3 shape.</summary>
    public Shape(int d0, int d1, int d2)
        : this(3, d0, d1, d2, 0)
    {
    }

    /// <summary>A rank-4 shape, e.g. NHWC [batch, height, width, channels].</summary>
    public Shape(int d0, int d1, int d2, int d3)
        : this(4, d0, d1, d2, d3)
    {
    }

    private Shape(int rank, int d0, int d1, int d2, int d3)
    {
        if (d0 < 0 || d1 < 0 || d2 < 0 || d3 < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(d0), $"Shape dimensions must be non-negative, got [{d0}, {d1}, {d2}, {d3}] (rank {rank}).");
        }

        Rank = rank;
        _d0 = d0;
        _d1 = d1;
        _d2 = d2;
        _d3 = d3;
    }

    /// <summary>Number of dimensions (1 to 4).</summary>
    public int Rank { get; }

    /// <summary>Number of elements (the product of the dimensions).</summary>
    public int Length => Rank switch
    {
        1 => _d0,
        2 => _d0 * _d1,
        3 => _d0 * _d1 * _d2,
        _ => _d0 * _d1 * _d2 * _d3,
    };

    /// <summary>The last (contiguous) dimension: features of a matrix, channels of an NHWC image.</summary>
    public int Last => this[Rank - 1];

    /// <summary>The product of all dimensions but the last: rows when the tensor is read as a matrix.</summary>
    public int Rows => Last == 0 ? 0 : Length / Last;

    /// <summary>Dimension <paramref name="axis"/>.</summary>
    public int this[int axis] => (uint)axis < (uint)Rank
        ? axis switch { 0 => _d0, 1 => _d1, 2 => _d2, _ => _d3 }
        : throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for a rank-{Rank} shape.");

    /// <summary>Creates a shape from 1 to 4 dimensions.</summary>
    public static Shape Of(ReadOnlySpan<int> dims) => dims.Length switch
    {
        1 => new Shape(dims[0]),
        2 => new Shape(dims[0], dims[1]),
        3 => new Shape(dims[0], dims[1], dims[2]),
        4 => new Shape(dims[0], dims[1], dims[2], dims[3]),
        _ => throw new ArgumentException($"A shape has 1 to 4 dimensions, got {dims.Length}.", nameof(dims)),
    };

    /// <summary>The same shape with the last dimension replaced by <paramref name="last"/>.</summary>
    public Shape WithLast(int last) => Rank switch
    {
        1 => new Shape(last),
        2 => new Shape(_d0, last),
        3 => new Shape(_d0, _d1, last),
        _ => new Shape(_d0, _d1, _d2, last),
    };

    /// <summary>Value equality (same rank and dimensions).</summary>
    public bool Equals(Shape other) => Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Rank, _d0, _d1, _d2, _d3);

    /// <summary>Formats as <c>[2, 3]</c>.</summary>
    public override string ToString() => Rank switch
    {
        1 => $"[{_d0}]",
        2 => $"[{_d0}, {_d1}]",
        3 => $"[{_d0}, {_d1}, {_d2}]",
        _ => $"[{_d0}, {_d1}, {_d2}, {_d3}]",
    };

    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);
}
