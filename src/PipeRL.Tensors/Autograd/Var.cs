namespace PipeRL.Tensors;

/// <summary>
/// A handle to a value recorded on a <see cref="Tape"/> (a small struct: creating one allocates nothing). Valid until
/// the tape's <see cref="Tape.Reset"/>. Arithmetic operators record the matching tape operation.
/// </summary>
public readonly struct Var : IEquatable<Var>
{
    internal Var(Tape tape, int index)
    {
        Tape = tape;
        Index = index;
    }

    /// <summary>The tape this value is recorded on.</summary>
    public Tape Tape { get; }

    /// <summary>Position of the node on the tape.</summary>
    internal int Index { get; }

    /// <summary>The forward value (storage owned by the tape; do not keep it across a reset).</summary>
    public Tensor Value => Tape.ValueOf(this);

    /// <summary>The gradient after <see cref="Tape.Backward(Var)"/>, or null when no gradient reached this value.</summary>
    public Tensor? Grad => Tape.GradOf(this);

    /// <summary>The shape of the value.</summary>
    public Shape Shape => Value.Shape;

    /// <summary>Element-wise sum (see <see cref="Tape.Add"/>).</summary>
    public static Var operator +(Var a, Var b) => a.Tape.Add(a, b);

    /// <summary>Element-wise difference.</summary>
    public static Var operator -(Var a, Var b) => a.Tape.Sub(a, b);

    /// <summary>Element-wise product.</summary>
    public static Var operator *(Var a, Var b) => a.Tape.Mul(a, b);

    /// <summary>Element-wise quotient.</summary>
    public static Var operator /(Var a, Var b) => a.Tape.Div(a, b);

    /// <summary>Multiplies by a constant.</summary>
    public static Var operator *(Var a, float s) => a.Tape.Scale(a, s);

    /// <summary>Multiplies by a constant.</summary>
    public static Var operator *(float s, Var a) => a.Tape.Scale(a, s);

    /// <summary>Divides by a constant.</summary>
    public static Var operator /(Var a, float s) => a.Tape.Scale(a, 1f / s);

    /// <summary>Adds a constant.</summary>
    public static Var operator +(Var a, float s) => a.Tape.AddScalar(a, s);

    /// <summary>Adds a constant.</summary>
    public static Var operator +(float s, Var a) => a.Tape.AddScalar(a, s);

    /// <summary>Subtracts a constant.</summary>
    public static Var operator -(Var a, float s) => a.Tape.AddScalar(a, -s);

    /// <summary>Constant minus value.</summary>
    public static Var operator -(float s, Var a) => a.Tape.AddScalar(a.Tape.Scale(a, -1f), s);

    /// <summary>Negation.</summary>
    public static Var operator -(Var a) => a.Tape.Scale(a, -1f);

    /// <summary>Same tape and node.</summary>
    public bool Equals(Var other) => ReferenceEquals(Tape, other.Tape) && Index == other.Index;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Var other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Tape, Index);

    /// <summary>Same tape and node.</summary>
    public static bool operator ==(Var left, Var right) => left.Equals(right);

    /// <summary>Different node.</summary>
    public static bool operator !=(Var left, Var right) => !left.Equals(right);

    /// <summary>Formats as <c>Var#3[64, 256]</c>.</summary>
    public override string ToString() => Tape is null ? "Var(default)" : $"Var#{Index}{Shape}";
}
