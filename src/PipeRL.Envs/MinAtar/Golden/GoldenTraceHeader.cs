namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>The first line of a golden trace: how the reference environment was built and seeded.</summary>
/// <param name="Game">The reference game name, for example <c>breakout</c>.</param>
/// <param name="Seed">The seed passed to the reference's <c>env.seed</c>.</param>
/// <param name="StickyActionProbability">The sticky-action probability.</param>
/// <param name="DifficultyRamping">Whether difficulty ramping was on.</param>
/// <param name="Policy">The policy that chose the actions (informational).</param>
/// <param name="MaxActs">The number of acts in the trace.</param>
/// <param name="Channels">The observation channel names, in index order.</param>
/// <param name="MinimalActionSet">The game's minimal action set.</param>
/// <param name="HiddenFields">Names of the hidden debug values of each record.</param>
public sealed record GoldenTraceHeader(
    string Game,
    uint Seed,
    double StickyActionProbability,
    bool DifficultyRamping,
    string Policy,
    int MaxActs,
    IReadOnlyList<string> Channels,
    IReadOnlyList<int> MinimalActionSet,
    IReadOnlyList<string> HiddenFields);
