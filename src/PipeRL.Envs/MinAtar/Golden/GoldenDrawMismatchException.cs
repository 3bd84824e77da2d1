namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>A replay drew differently from a golden trace's log (call, bound, value or count).</summary>
internal sealed class GoldenDrawMismatchException(string expected, string actual) : Exception($"draws expected {expected}, actual {actual}")
{
    /// <summary>What the trace logged.</summary>
    public string Expected { get; } = expected;

    /// <summary>What the port drew.</summary>
    public string Actual { get; } = actual;
}
