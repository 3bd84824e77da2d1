namespace PipeRL.Envs;

/// <summary>
/// numpy's <c>Generator(PCG64(SeedSequence(seed)))</c>, the source Gymnasium's <c>np_random</c> is, bit for bit:
/// <c>random()</c>, <c>uniform(low, high)</c> and <c>standard_normal()</c> (the 256-strip ziggurat on one 64-bit draw,
/// with numpy's wedge and tail rejection). An array call such as <c>uniform(size=n)</c> is n scalar calls in order.
/// </summary>
public sealed class NumpyGenerator
{
    /// <summary>Creates the generator <c>numpy.random.default_rng(seed)</c> creates.</summary>
    public NumpyGenerator(ulong seed) => BitGenerator = new Pcg64(seed);

    /// <summary>Creates the generator <c>Generator(PCG64(seedSequence))</c>.</summary>
    public NumpyGenerator(SeedSequence seedSequence) => BitGenerator = new Pcg64(seedSequence);

    /// <summary>The PCG64 stream underneath (its state is this generator's whole state).</summary>
    public Pcg64 BitGenerator { get; }

    /// <summary>Re-seeds in place, as a new <c>default_rng(seed)</c> (what Gymnasium's <c>reset(seed=seed)</c> does).</summary>
    public void Seed(ulong seed) => BitGenerator.Seed(new SeedSequence(seed));

    /// <summary>Writes the whole state (the PCG64 state and increment).</summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write128(BitGenerator.State);
        writer.Write128(BitGenerator.Increment);
    }

    /// <summary>Restores a state <see cref="WriteState"/> wrote.</summary>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = reader.Read128();
        var increment = reader.Read128();
        if ((increment & UInt128.One) == UInt128.Zero)
        {
            throw new InvalidDataException("the saved state has an even PCG64 increment");
        }

        BitGenerator.Restore(state, increment);
    }

    /// <summary>A double in [0, 1), as <c>Generator.random()</c>.</summary>
    public double NextDouble() => BitGenerator.NextDouble();

    /// <summary>A double in [<paramref name="low"/>, <paramref name="high"/>), as <c>Generator.uniform(low, high)</c>: low + (high − low)·u.</summary>
    public double Uniform(double low, double high)
    {
        var range = high - low;
        if (!(range >= 0) || double.IsInfinity(range))
        {
            throw new ArgumentOutOfRangeException(nameof(high), $"uniform needs a finite high - low >= 0, got low={low}, high={high}.");
        }

        return low + (range * BitGenerator.NextDouble());
    }

    /// <summary>A standard normal draw, as <c>Generator.standard_normal()</c>.</summary>
    public double StandardNormal()
    {
        var ki = NormalZiggurat.Ki;
        var wi = NormalZiggurat.Wi;
        var fi = NormalZiggurat.Fi;
        while (true)
        {
            // One draw gives the strip (8 bits), the sign (1 bit) and the magnitude (52 bits).
            var bits = BitGenerator.NextUInt64();
            var strip = (int)(bits & 0xff);
            bits >>= 8;
            var negative = (bits & 1) != 0;
            var magnitude = (bits >> 1) & 0x000fffffffffffffUL;
            var x = magnitude * wi[strip];
            if (negative)
            {
                x = -x;
            }

            if (magnitude < ki[strip])
            {
                return x;
            }

            if (strip == 0)
            {
                return Tail((magnitude >> 8) & 1);
            }

            if (((fi[strip - 1] - fi[strip]) * BitGenerator.NextDouble()) + fi[strip] < Math.Exp(-0.5 * x * x))
            {
                return x;
            }
        }
    }

    // Marsaglia's tail beyond R, with 1 - u inside the logarithms (numpy avoids log(0) that way).
    private double Tail(ulong negative)
    {
        while (true)
        {
            var xx = -NormalZiggurat.InverseR * CMath.Log1P(-BitGenerator.NextDouble());
            var yy = -CMath.Log1P(-BitGenerator.NextDouble());
            if (yy + yy > xx * xx)
            {
                return negative != 0 ? -(NormalZiggurat.R + xx) : NormalZiggurat.R + xx;
            }
        }
    }
}
