namespace PipeRL.Envs.Tests.MinAtar.Games;

/// <summary>A fixed-answer random source that counts calls, to see when a game draws.</summary>
internal sealed class CountingRandomSource(double value, int offset) : IRandomSource
{
    public int Doubles { get; private set; }

    public int Ints { get; private set; }

    public double NextDouble()
    {
        Doubles++;
        return value;
    }

    public int NextInt(int lowInclusive, int highExclusive)
    {
        Ints++;
        return lowInclusive + offset;
    }
}
