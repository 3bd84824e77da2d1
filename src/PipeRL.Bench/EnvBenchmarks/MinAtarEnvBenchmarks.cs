using PipeRL.Envs.MinAtar;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>
/// The MinAtar rows: per game, one env (full action set, sticky actions 0.1, ramping, the observation written every
/// step, resets included) and the vector env (by default of <see cref="VectorEnvs"/> sub-envs) on each thread count.
/// </summary>
public sealed class MinAtarEnvBenchmarks : IEnvBenchmarkSuite
{
    /// <summary>Sub-envs of the vector rows: enough to amortise a step's hand-off, few enough to stay in L2.</summary>
    public const int VectorEnvs = 64;

    // The Python reference's single-thread act + state() steps/s (spec section 8; Breakout at the top of its range).
    private static readonly Dictionary<string, double> PythonReference = new(StringComparer.Ordinal)
    {
        ["asterix"] = 300_000,
        ["breakout"] = 390_000,
        ["freeway"] = 148_000,
        ["seaquest"] = 248_000,
        ["space_invaders"] = 44_000,
    };

    /// <inheritdoc/>
    public string Name => "minatar";

    /// <inheritdoc/>
    public string? Unavailable => null;

    /// <inheritdoc/>
    public IReadOnlyList<EnvBenchmarkCase> Cases(IReadOnlyList<int> threads, int? vectorEnvs = null)
    {
        var numEnvs = vectorEnvs ?? VectorEnvs;
        var cases = new List<EnvBenchmarkCase>();
        foreach (var game in MinAtarGames.GameNames)
        {
            var id = MinAtarGames.IdPrefix + game;
            var reference = PythonReference.TryGetValue(game, out var r) ? r : (double?)null;
            cases.Add(new EnvBenchmarkCase(id, "env", 1, 1, () => new SingleEnvStepper(MinAtarGames.Create(id)), reference));
            foreach (var t in threads)
            {
                cases.Add(new EnvBenchmarkCase(id, "vector", numEnvs, t, () => new VectorEnvStepper(new MinAtarVectorEnv(id, numEnvs, threads: t)), reference));
            }
        }

        return cases;
    }
}
