namespace PipeRL.Envs;

/// <summary>The integers 0..N-1; in a flat buffer an element is one float holding the integer.</summary>
public sealed class DiscreteSpace : Space
{
    /// <summary>Creates the space {0, ..., <paramref name="n"/> - 1}.</summary>
    public DiscreteSpace(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        N = n;
    }

    /// <summary>Number of elements.</summary>
    public int N { get; }

    /// <inheritdoc/>
    public override int FlatSize => 1;

    /// <inheritdoc/>
    public override bool Contains(ReadOnlySpan<float> value) =>
        value.Length == 1 && value[0] >= 0 && value[0] < N && value[0] == MathF.Floor(value[0]);

    /// <summary>Whether <paramref name="action"/> is an element of this space.</summary>
    public bool Contains(int action) => (uint)action < (uint)N;

    /// <inheritdoc/>
    public override string ToString() => $"Discrete({N})";
}
