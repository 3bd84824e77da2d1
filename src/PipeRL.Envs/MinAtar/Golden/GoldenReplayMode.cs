namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>How a golden trace is replayed (golden README, "How a C# test should use the traces").</summary>
public enum GoldenReplayMode
{
    /// <summary>Each operation gets the logged draws; checks the port's calls, bounds and dynamics.</summary>
    InjectedDraws,

    /// <summary>The port seeds numpy's generator itself; checks the generator too (the draws must match).</summary>
    Seeded,
}
