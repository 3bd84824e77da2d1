namespace PipeRL.Envs;

/// <summary>
/// Gymnasium's <c>info</c> as named numbers, kept by the env and updated in place by every reset and step,
/// so reading it allocates nothing after the first step.
/// </summary>
public sealed class EnvInfo
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    /// <summary>The current entries.</summary>
    public IReadOnlyDictionary<string, double> Values => _values;

    /// <summary>The value of <paramref name="key"/>; throws when the env did not report it.</summary>
    public double this[string key] => _values.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"The env reported no info '{key}'; it has: {string.Join(", ", _values.Keys)}.");

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>.</summary>
    public void Set(string key, double value) => _values[key] = value;

    /// <summary>Whether <paramref name="key"/> is present, and its value.</summary>
    public bool TryGet(string key, out double value) => _values.TryGetValue(key, out value);

    /// <summary>Removes every entry (keeps the storage).</summary>
    public void Clear() => _values.Clear();
}
