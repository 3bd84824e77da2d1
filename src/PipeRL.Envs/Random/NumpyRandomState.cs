using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PipeRL.Envs;

/// <summary>
/// numpy's legacy <c>numpy.random.RandomState</c>, bit for bit: MT19937 seeded as <c>RandomState(seed)</c> does,
/// with numpy's <c>rand</c>, <c>randint</c> (masked rejection), <c>uniform</c> and <c>standard_normal</c> (polar
/// Box-Muller keeping the second value for the next call).
/// </summary>
public sealed class NumpyRandomState : IRandomSource
{
    private const int StateLength = 624;
    private const int Shift = 397;
    private const uint MatrixA = 0x9908B0DFu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7FFFFFFFu;

    private readonly uint[] _mt = new uint[StateLength];
    private int _position;
    private bool _hasGauss;
    private double _gauss;

    /// <summary>Creates the generator numpy's <c>RandomState(seed)</c> creates for an integer seed.</summary>
    public NumpyRandomState(uint seed) => Seed(seed);

    /// <summary>Creates the generator numpy's <c>RandomState(key)</c> creates for an array of 32-bit words (<c>init_by_array</c>).</summary>
    public NumpyRandomState(ReadOnlySpan<uint> key) => Seed(key);

    /// <summary>Re-seeds in place as <c>RandomState.seed(seed)</c> with an integer (MT19937 <c>init_genrand</c>).</summary>
    public void Seed(uint seed)
    {
        _mt[0] = seed;
        for (var i = 1; i < StateLength; i++)
        {
            var previous = _mt[i - 1];
            _mt[i] = unchecked((1812433253u * (previous ^ (previous >> 30))) + (uint)i);
        }

        _position = StateLength;
        _hasGauss = false;
        _gauss = 0;
    }

    /// <summary>Re-seeds in place as <c>RandomState.seed(array)</c> (MT19937 <c>init_by_array</c>).</summary>
    public void Seed(ReadOnlySpan<uint> key)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("A seed array needs at least one 32-bit word.", nameof(key));
        }

        Seed(19650218u);
        int i = 1, j = 0;
        unchecked
        {
            for (var k = Math.Max(StateLength, key.Length); k > 0; k--)
            {
                var previous = _mt[i - 1];
                _mt[i] = (_mt[i] ^ ((previous ^ (previous >> 30)) * 1664525u)) + key[j] + (uint)j;
                i++;
                j++;
                if (i >= StateLength)
                {
                    _mt[0] = _mt[StateLength - 1];
                    i = 1;
                }

                if (j >= key.Length)
                {
                    j = 0;
                }
            }

            for (var k = StateLength - 1; k > 0; k--)
            {
                var previous = _mt[i - 1];
                _mt[i] = (_mt[i] ^ ((previous ^ (previous >> 30)) * 1566083941u)) - (uint)i;
                i++;
                if (i >= StateLength)
                {
                    _mt[0] = _mt[StateLength - 1];
                    i = 1;
                }
            }
        }

        // The most significant bit is set so the state is never all zero (as the reference init_by_array).
        _mt[0] = 0x80000000u;
        _position = StateLength;
        _hasGauss = false;
        _gauss = 0;
    }

    /// <summary>Writes the whole state (numpy's <c>get_state()</c>: key, position, cached Gaussian).</summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteArray(_mt);
        writer.Write(_position);
        writer.Write(_hasGauss);
        writer.Write(_gauss);
    }

    /// <summary>Restores a state <see cref="WriteState"/> wrote (numpy's <c>set_state</c>).</summary>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.ReadArray(_mt);
        _position = reader.ReadInt32(0, StateLength, "an MT19937 position");
        _hasGauss = reader.ReadBoolean();
        _gauss = reader.ReadDouble();
    }

    /// <summary>The next raw 32-bit MT19937 output.</summary>
    public uint NextUInt32()
    {
        if (_position >= StateLength)
        {
            Twist();
        }

        // The twist above keeps the position inside the state, so the bounds check can go.
        var y = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_mt), _position++);
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <inheritdoc/>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <inheritdoc/>
    public int NextInt(int lowInclusive, int highExclusive)
    {
        if (highExclusive <= lowInclusive)
        {
            throw new ArgumentOutOfRangeException(nameof(highExclusive), $"randint needs low < high, got low={lowInclusive}, high={highExclusive}.");
        }

        var range = (uint)((long)highExclusive - lowInclusive - 1);
        if (range == 0)
        {
            // numpy returns low without consuming any generator output.
            return lowInclusive;
        }

        var mask = range;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        do
        {
            value = NextUInt32() & mask;
        }
        while (value > range);

        return (int)(lowInclusive + (long)value);
    }

    /// <summary>A double in [<paramref name="low"/>, <paramref name="high"/>), as numpy's legacy <c>uniform(low, high)</c>.</summary>
    public double Uniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>A standard normal draw, as numpy's legacy <c>standard_normal()</c> (polar method, second value cached).</summary>
    public double StandardNormal()
    {
        if (_hasGauss)
        {
            _hasGauss = false;
            var cached = _gauss;
            _gauss = 0;
            return cached;
        }

        double x1, x2, r2;
        do
        {
            x1 = (2.0 * NextDouble()) - 1.0;
            x2 = (2.0 * NextDouble()) - 1.0;
            r2 = (x1 * x1) + (x2 * x2);
        }
        while (r2 >= 1.0 || r2 == 0.0);

        var f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary>A normal draw with mean <paramref name="mean"/> and standard deviation <paramref name="std"/>, as numpy's legacy <c>normal(loc, scale)</c>.</summary>
    public double Normal(double mean, double std) => mean + (std * StandardNormal());

    private void Twist()
    {
        var mt = _mt;
        int i;
        uint y;
        for (i = 0; i < StateLength - Shift; i++)
        {
            y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + Shift] ^ (y >> 1) ^ ((0u - (y & 1u)) & MatrixA);
        }

        for (; i < StateLength - 1; i++)
        {
            y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + Shift - StateLength] ^ (y >> 1) ^ ((0u - (y & 1u)) & MatrixA);
        }

        y = (mt[StateLength - 1] & UpperMask) | (mt[0] & LowerMask);
        mt[StateLength - 1] = mt[Shift - 1] ^ (y >> 1) ^ ((0u - (y & 1u)) & MatrixA);
        _position = 0;
    }
}
