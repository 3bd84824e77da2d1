namespace PipeRL.Envs.MuJoCo.Golden;

/// <summary>The first place a replay differs from a MuJoCo golden trace.</summary>
/// <param name="Line">The 1-based line of the record in the trace file.</param>
/// <param name="Episode">The episode's index.</param>
/// <param name="Step">The step's index in the episode, or -1 for the reset.</param>
/// <param name="Field">What differs: <c>qpos[i]</c>, <c>qvel[i]</c>, <c>obs[i]</c>, <c>reward</c>, <c>terminated</c>, <c>truncated</c>, <c>info.key</c> or a header field.</param>
/// <param name="Expected">The trace's value.</param>
/// <param name="Actual">PipeRL's value.</param>
public sealed record MuJoCoGoldenMismatch(int Line, int Episode, int Step, string Field, string Expected, string Actual)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"line {Line} (episode {Episode}, {(Step < 0 ? "reset" : $"step {Step}")}): {Field} expected {Expected}, actual {Actual}";
}
