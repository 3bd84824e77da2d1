namespace PipeRL.Tensors;

/// <summary>
/// A deterministic random source: xoshiro256** seeded through SplitMix64, Gaussian samples by Box-Muller. The same
/// seed gives the same sequence on every platform. Not thread-safe; give each consumer its own.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Creates a source from <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed)
    {
        ulong sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) as float (24 random bits).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>Uniform integer in [0, <paramref name="count"/>), without modulo bias.</summary>
    public int NextInt(int count)
    {
        if (count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"NextInt needs a positive count, got {count}.");
        }

        ulong bound = (ulong)count;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            ulong hi = Math.BigMul(r, bound, out ulong lo);
            if (lo >= threshold)
            {
                return (int)hi;
            }
        }
    }

    /// <summary>A standard normal sample (Box-Muller; the second value of each pair is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>Fills <paramref name="destination"/> with uniform samples in [low, high).</summary>
    public void FillUniform(Span<float> destination, double low, double high)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)Uniform(low, high);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with normal samples of the given mean and standard deviation.</summary>
    public void FillGaussian(Span<float> destination, double mean, double std)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)(mean + (std * NextGaussian()));
        }
    }

    /// <summary>
    /// The second normal sample of the last Box-Muller pair, kept for the next <see cref="NextGaussian"/>, or null: a
    /// checkpoint saves it beside <see cref="GetState"/> (which drops it) to continue bit for bit.
    /// </summary>
    public double? PendingGaussian
    {
        get => _hasSpare ? _spare : null;
        set => (_hasSpare, _spare) = (value.HasValue, value.GetValueOrDefault());
    }

    /// <summary>The state, for checkpoints: four xoshiro words.</summary>
    public (ulong S0, ulong S1, ulong S2, ulong S3) GetState() => (_s0, _s1, _s2, _s3);

    /// <summary>Restores a state from <see cref="GetState"/> (drops any cached Gaussian).</summary>
    public void SetState((ulong S0, ulong S1, ulong S2, ulong S3) state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException("An all-zero xoshiro state is invalid.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = state;
        _hasSpare = false;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
