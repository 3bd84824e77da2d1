namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>
/// One scalar random draw logged in a golden trace: <c>rand()</c> (a double) or <c>randint(low, high)</c> (an
/// integer). Vector draws such as <c>rand(8)</c> are stored as that many scalar draws, in order.
/// </summary>
/// <param name="Source">'s' for the sticky-action draw, 'g' for a game draw.</param>
/// <param name="IsInteger">Whether this is <c>randint</c> rather than <c>rand</c>.</param>
/// <param name="Low">Inclusive lower bound of a <c>randint</c>.</param>
/// <param name="High">Exclusive upper bound of a <c>randint</c>.</param>
/// <param name="Value">The value drawn (an integer value for <c>randint</c>).</param>
public readonly record struct GoldenDraw(char Source, bool IsInteger, int Low, int High, double Value)
{
    /// <summary>The call as the reference wrote it, for messages.</summary>
    public string Call => IsInteger ? $"randint({Low}, {High})" : "rand()";

    /// <inheritdoc/>
    public override string ToString() => $"{Call} = {Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}";
}
