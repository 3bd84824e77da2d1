using PipeRL.Envs.MinAtar.Games;

namespace PipeRL.Envs.MinAtar;

/// <summary>
/// The registry of MinAtar games and env ids: <c>minatar/&lt;game&gt;</c> (full action set) and
/// <c>minatar/&lt;game&gt;-minimal</c> (the game's minimal set). A new game is one entry in the table below.
/// </summary>
public static class MinAtarGames
{
    /// <summary>The prefix of every MinAtar env id.</summary>
    public const string IdPrefix = "minatar/";

    /// <summary>The suffix of the ids that use a game's minimal action set.</summary>
    public const string MinimalSuffix = "-minimal";

    private static readonly Dictionary<string, Func<bool, MinAtarGame>> Factories = new(StringComparer.Ordinal)
    {
        ["asterix"] = ramping => new AsterixGame(ramping),
        ["breakout"] = ramping => new BreakoutGame(ramping),
        ["freeway"] = ramping => new FreewayGame(ramping),
        ["seaquest"] = ramping => new SeaquestGame(ramping),
        ["space_invaders"] = ramping => new SpaceInvadersGame(ramping),
    };

    /// <summary>The reference names of the games available, sorted.</summary>
    public static IReadOnlyList<string> GameNames { get; } = [.. Factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every env id, sorted: each game with the full and with the minimal action set.</summary>
    public static IReadOnlyList<string> Ids { get; } = [.. GameNames.SelectMany(g => new[] { IdPrefix + g, IdPrefix + g + MinimalSuffix })];

    /// <summary>Whether a game named <paramref name="name"/> (for example <c>breakout</c>) is available.</summary>
    public static bool HasGame(string name) => Factories.ContainsKey(name);

    /// <summary>Creates the game <paramref name="name"/> (reference name, for example <c>space_invaders</c>), not yet reset.</summary>
    public static MinAtarGame CreateGame(string name, bool difficultyRamping = true) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(difficultyRamping)
            : throw new ArgumentException($"Unknown MinAtar game '{name}'; available games: {string.Join(", ", GameNames)}.", nameof(name));

    /// <summary>
    /// Creates the env <paramref name="id"/> (see <see cref="Ids"/>) with sticky actions and difficulty ramping as in
    /// the reference; its random stream is <c>RandomState(seed)</c> until a reset passes another seed.
    /// </summary>
    public static MinAtarEnv Create(
        string id,
        double stickyActionProbability = MinAtarEnvironment.DefaultStickyActionProbability,
        bool difficultyRamping = true,
        uint seed = 0)
    {
        ArgumentNullException.ThrowIfNull(id);
        var name = id.StartsWith(IdPrefix, StringComparison.Ordinal) ? id[IdPrefix.Length..] : null;
        var minimal = name is not null && name.EndsWith(MinimalSuffix, StringComparison.Ordinal);
        if (minimal)
        {
            name = name![..^MinimalSuffix.Length];
        }

        if (name is null || !Factories.ContainsKey(name))
        {
            throw new ArgumentException($"Unknown MinAtar env '{id}'; valid ids: {string.Join(", ", Ids)}.", nameof(id));
        }

        var environment = new MinAtarEnvironment(CreateGame(name, difficultyRamping), new NumpyRandomState(seed), stickyActionProbability);
        return new MinAtarEnv(environment, minimal);
    }
}
