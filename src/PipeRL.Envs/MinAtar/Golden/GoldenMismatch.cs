namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>The first place a replay differs from a golden trace.</summary>
/// <param name="Line">The 1-based line of the record in the trace file.</param>
/// <param name="Field">The field that differs: <c>draws</c>, <c>ae</c>, <c>r</c>, <c>term</c>, <c>ramp</c>, <c>obs</c> or a header field.</param>
/// <param name="Expected">The trace's value.</param>
/// <param name="Actual">The port's value.</param>
/// <param name="Detail">Extra context (for example the hidden state of both), or empty.</param>
public sealed record GoldenMismatch(int Line, string Field, string Expected, string Actual, string Detail)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"line {Line}: {Field} expected {Expected}, actual {Actual}" + (Detail.Length > 0 ? $" ({Detail})" : string.Empty);
}
