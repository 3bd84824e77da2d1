namespace PipeRL.Envs;

/// <summary>
/// The random draws an environment makes, named after numpy's legacy calls so a port can make the same calls in
/// the same order; tests substitute a source that replays logged draws.
/// </summary>
public interface IRandomSource
{
    /// <summary>A double in [0, 1), as numpy's <c>rand()</c> / <c>random_sample()</c>.</summary>
    double NextDouble();

    /// <summary>An integer in [<paramref name="lowInclusive"/>, <paramref name="highExclusive"/>), as numpy's <c>randint(low, high)</c>.</summary>
    int NextInt(int lowInclusive, int highExclusive);
}
