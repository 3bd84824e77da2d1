using System.Globalization;

namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>
/// Checks every draw against a record's logged draws: with no inner generator it returns the logged values
/// (replay); with one, it draws from it and requires the same values (seeded). A differing call, bound or value,
/// or a draw past the log, throws <see cref="GoldenDrawMismatchException"/>.
/// </summary>
internal sealed class TraceRandomSource(IRandomSource? inner) : IRandomSource
{
    private IReadOnlyList<GoldenDraw> _expected = [];
    private int _next;

    /// <summary>Draws consumed since the last <see cref="Expect"/>.</summary>
    public int Consumed => _next;

    /// <summary>Starts checking against <paramref name="draws"/>.</summary>
    public void Expect(IReadOnlyList<GoldenDraw> draws)
    {
        _expected = draws;
        _next = 0;
    }

    /// <inheritdoc/>
    public double NextDouble()
    {
        var expected = Take("rand()", false, 0, 0);
        var value = inner?.NextDouble() ?? expected.Value;
        Check(expected, value);
        return value;
    }

    /// <inheritdoc/>
    public int NextInt(int lowInclusive, int highExclusive)
    {
        var expected = Take($"randint({lowInclusive}, {highExclusive})", true, lowInclusive, highExclusive);
        var value = inner?.NextInt(lowInclusive, highExclusive) ?? (int)expected.Value;
        Check(expected, value);
        return value;
    }

    private GoldenDraw Take(string call, bool isInteger, int low, int high)
    {
        if (_next >= _expected.Count)
        {
            throw new GoldenDrawMismatchException($"{_expected.Count} draws", $"an extra draw #{_next + 1}: {call}");
        }

        var expected = _expected[_next];
        if (expected.IsInteger != isInteger || expected.Low != low || expected.High != high)
        {
            throw new GoldenDrawMismatchException($"draw #{_next + 1} {expected.Call}", call);
        }

        _next++;
        return expected;
    }

    private void Check(GoldenDraw expected, double value)
    {
        if (value != expected.Value)
        {
            throw new GoldenDrawMismatchException(
                $"draw #{_next} {expected}",
                $"{expected.Call} = {value.ToString("R", CultureInfo.InvariantCulture)}");
        }
    }
}
