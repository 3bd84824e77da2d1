namespace PipeRL.Envs;

/// <summary>
/// numpy's <c>PCG64</c> bit generator: a 128-bit linear congruential state with an odd increment, advanced before
/// each output, and the XSL-RR output (high word xor low word, rotated right by the state's top 6 bits). Seeded as
/// <c>PCG64(SeedSequence)</c> does, from four 64-bit words of <see cref="SeedSequence.GenerateState(Span{ulong})"/>.
/// </summary>
public sealed class Pcg64
{
    private static readonly UInt128 Multiplier = new(2549297995355413924UL, 4865540595714422341UL);

    private UInt128 _state;
    private UInt128 _increment;

    /// <summary>Creates the generator <c>PCG64(seed)</c> creates for a non-negative integer seed.</summary>
    public Pcg64(ulong seed) => Seed(new SeedSequence(seed));

    /// <summary>Creates the generator <c>PCG64(seedSequence)</c> creates.</summary>
    public Pcg64(SeedSequence seedSequence) => Seed(seedSequence);

    /// <summary>The 128-bit LCG state (numpy's <c>state["state"]["state"]</c>).</summary>
    public UInt128 State => _state;

    /// <summary>The odd 128-bit increment (numpy's <c>state["state"]["inc"]</c>).</summary>
    public UInt128 Increment => _increment;

    /// <summary>Re-seeds in place, as a new <c>PCG64(seedSequence)</c>.</summary>
    public void Seed(SeedSequence seedSequence)
    {
        ArgumentNullException.ThrowIfNull(seedSequence);
        Span<ulong> words = stackalloc ulong[4];
        seedSequence.GenerateState(words);
        var initialState = new UInt128(words[0], words[1]);
        _increment = (new UInt128(words[2], words[3]) << 1) | UInt128.One;
        _state = UInt128.Zero;
        Advance();
        _state += initialState;
        Advance();
    }

    /// <summary>Restores a state read from <see cref="State"/> and <see cref="Increment"/> (the increment must be odd).</summary>
    public void Restore(UInt128 state, UInt128 increment)
    {
        if ((increment & UInt128.One) == UInt128.Zero)
        {
            throw new ArgumentException($"a PCG64 increment is odd; {increment} is not a saved PCG64 state.", nameof(increment));
        }

        (_state, _increment) = (state, increment);
    }

    /// <summary>The next 64 random bits (numpy's <c>random_raw()</c>).</summary>
    public ulong NextUInt64()
    {
        Advance();
        var high = (ulong)(_state >> 64);
        var low = (ulong)_state;
        return ulong.RotateRight(high ^ low, (int)(high >> 58));
    }

    /// <summary>A double in [0, 1) from the top 53 bits of <see cref="NextUInt64"/> (numpy's <c>next_double</c>).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    private void Advance() => _state = unchecked((_state * Multiplier) + _increment);
}
