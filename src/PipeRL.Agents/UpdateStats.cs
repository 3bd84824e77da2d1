namespace PipeRL.Agents;

/// <summary>
/// What one update reports, as named scalars: the names are the algorithm's (snake_case, the metrics' column names),
/// the same at every update of a run; NaN marks a value the update did not measure.
/// </summary>
public sealed class UpdateStats
{
    private readonly string[] _names;
    private readonly double[] _values;

    /// <summary>The values <paramref name="values"/> under the names <paramref name="names"/>, in the same order.</summary>
    public UpdateStats(IReadOnlyList<string> names, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != values.Length)
        {
            throw new ArgumentException($"{names.Count} names for {values.Length} values.", nameof(values));
        }

        _names = [.. names];
        _values = values.ToArray();
    }

    /// <summary>The names, in the algorithm's order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The values, in the order of <see cref="Names"/>.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>The value called <paramref name="name"/>; a name the update does not report throws.</summary>
    public double this[string name] => TryGet(name, out var value)
        ? value
        : throw new KeyNotFoundException($"The update reports {string.Join(", ", _names)}; not '{name}'.");

    /// <summary>The value called <paramref name="name"/>, when the update reports it.</summary>
    public bool TryGet(string name, out double value)
    {
        var i = Array.IndexOf(_names, name);
        value = i >= 0 ? _values[i] : double.NaN;
        return i >= 0;
    }
}
