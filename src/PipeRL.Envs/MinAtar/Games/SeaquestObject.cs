namespace PipeRL.Envs.MinAtar.Games;

/// <summary>One Seaquest object (bullet, fish, enemy sub or diver); equality is by value, as Python's list equality.</summary>
/// <remarks>Unused timers stay 0, so two objects of one list compare equal exactly when the reference's lists would.</remarks>
internal struct SeaquestObject : IEquatable<SeaquestObject>
{
    /// <summary>Column.</summary>
    public int X;

    /// <summary>Row.</summary>
    public int Y;

    /// <summary>Moves (or faces) right when true, left when false.</summary>
    public bool Right;

    /// <summary>Acts until the next move (fish, subs, divers).</summary>
    public int MoveTimer;

    /// <summary>Acts until the next shot (enemy subs).</summary>
    public int ShotTimer;

    /// <summary>Creates an object at (<paramref name="y"/>, <paramref name="x"/>).</summary>
    public SeaquestObject(int x, int y, bool right, int moveTimer = 0, int shotTimer = 0)
    {
        X = x;
        Y = y;
        Right = right;
        MoveTimer = moveTimer;
        ShotTimer = shotTimer;
    }

    /// <summary>One column in the object's direction.</summary>
    public readonly int Step => Right ? 1 : -1;

    /// <inheritdoc/>
    public readonly bool Equals(SeaquestObject other) =>
        X == other.X && Y == other.Y && Right == other.Right && MoveTimer == other.MoveTimer && ShotTimer == other.ShotTimer;

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is SeaquestObject other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => HashCode.Combine(X, Y, Right, MoveTimer, ShotTimer);
}
