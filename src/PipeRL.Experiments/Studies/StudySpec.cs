using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Studies;

/// <summary>
/// A study: every actor on every env at every τ for every seed, one run each, in the study folder
/// <c>runs/NAME</c>. Written as JSON for <c>piperl study --file</c>:
/// <code>
/// { "name": "delay", "envs": ["minatar/breakout"], "archs": ["instant", "pipelined",
///   { "name": "tsa-authors", "arch": "temporal-skip-aug", "overrides": { "actor": { "historyWindow": "authors" } } }],
///   "taus": [1, 2, "1/2"], "seeds": [1, 2], "steps": 1000000, "algo": "ppo", "preset": "small", "overrides": { "ppo": { "numEnvs": 16 } } }
/// </code>
/// </summary>
public sealed record StudySpec
{
    /// <summary>The study folder's name under the runs folder; rerunning a study of that name resumes it.</summary>
    public string Name { get; init; } = "study";

    /// <summary>The envs.</summary>
    public IReadOnlyList<string> Envs { get; init; } = ["minatar/breakout", "minatar/space_invaders"];

    /// <summary>The actors; the one labelled <c>instant</c> is the baseline each env and τ is normalised by.</summary>
    public IReadOnlyList<StudyArch> Archs { get; init; } = [StudyArch.Of("instant"), StudyArch.Of("pipelined"), StudyArch.Of("temporal-skip-aug")];

    /// <summary>The tick lengths.</summary>
    public IReadOnlyList<Tau> Taus { get; init; } = [Tau.One];

    /// <summary>The seeds.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2];

    /// <summary>Training ticks per run.</summary>
    public long Steps { get; init; } = 2_000_000;

    /// <summary>The algorithm of every run (an actor's overrides may name another).</summary>
    public string Algo { get; init; } = "ppo";

    /// <summary>The hyperparameter preset of every run, or null for the algorithm's default on each env's family.</summary>
    public string? Preset { get; init; }

    /// <summary>Evaluation episodes per run (sampled and greedy).</summary>
    public int EvalEpisodes { get; init; } = 100;

    /// <summary>Threads stepping each run's environments.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Runs trained at the same time (one process each); by default one per core, at most 4.</summary>
    public int Parallel { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Config keys merged into every run's config before each actor's own overrides, or null.</summary>
    public JsonObject? Overrides { get; init; }

    /// <summary>
    /// Reads a study file; a <see cref="UserInputException"/> names the file, the key and what is wrong. Keys not given
    /// keep the defaults above; <c>name</c> defaults to the file's name without extension.
    /// </summary>
    public static StudySpec Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"Study file '{path}' does not exist.");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new UserInputException($"Study file '{path}' must be a JSON object such as {{\"envs\": [\"minatar/breakout\"], \"archs\": [\"instant\"]}}.");
        }
        catch (JsonException ex)
        {
            throw new UserInputException($"Study file '{path}' is not valid JSON (line {ex.LineNumber + 1}).", ex);
        }

        var spec = new StudySpec { Name = Path.GetFileNameWithoutExtension(path) };
        foreach (var (key, value) in root)
        {
            string Where() => $"Study file '{path}', key '{key}'";
            spec = key switch
            {
                "name" => spec with { Name = Text(value, Where) },
                "envs" => spec with { Envs = [.. Items(value, Where).Select(v => Text(v, Where))] },
                "archs" => spec with { Archs = [.. Items(value, Where).Select(v => Arch(v, Where))] },
                "taus" => spec with { Taus = [.. Items(value, Where).Select(v => TauOf(v, Where))] },
                "seeds" => spec with { Seeds = [.. Items(value, Where).Select(v => checked((int)Number(v, Where)))] },
                "steps" => spec with { Steps = Number(value, Where) },
                "algo" => spec with { Algo = Text(value, Where) },
                "preset" => spec with { Preset = Text(value, Where) },
                "evalEpisodes" => spec with { EvalEpisodes = checked((int)Number(value, Where)) },
                "threads" => spec with { Threads = checked((int)Number(value, Where)) },
                "parallel" => spec with { Parallel = checked((int)Number(value, Where)) },
                "overrides" => spec with { Overrides = value as JsonObject ?? throw new UserInputException($"{Where()}: must be an object of config keys, such as {{\"ppo\": {{\"numEnvs\": 16}}}}.") },
                _ => throw new UserInputException($"Study file '{path}': unknown key '{key}'; use name, envs, archs, taus, seeds, steps, algo, preset, evalEpisodes, threads, parallel, overrides."),
            };
        }

        return spec;
    }

    /// <summary>Throws a <see cref="UserInputException"/> naming the first empty list, repeated value or bad name.</summary>
    public void Validate()
    {
        if (Name.Length == 0 || Name.IndexOfAny(['/', '\\']) >= 0 || Name is "." or "..")
        {
            throw new UserInputException($"Study name '{Name}' must be a plain folder name (no slashes).");
        }

        RequireDistinct("envs", Envs);
        RequireDistinct("archs", [.. Archs.Select(a => a.Label)]);
        RequireDistinct("taus", [.. Taus.Select(t => t.ToString())]);
        RequireDistinct("seeds", [.. Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture))]);
        if (Parallel < 1)
        {
            throw new UserInputException($"parallel must be at least 1, got {Parallel}.");
        }

        foreach (var label in Archs.Select(a => a.Label))
        {
            if (label.Length == 0 || label.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.')))
            {
                throw new UserInputException($"Actor name '{label}' may hold only letters, digits, '-' and '.' (it names run folders).");
            }
        }
    }

    private static void RequireDistinct(string key, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            throw new UserInputException($"{key} needs at least one value.");
        }

        var repeated = values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new UserInputException($"{key} lists '{repeated.Key}' twice.");
        }
    }

    private static JsonArray Items(JsonNode? node, Func<string> where) =>
        node as JsonArray ?? throw new UserInputException($"{where()}: must be a list, such as [1, 2].");

    private static string Text(JsonNode? node, Func<string> where) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new UserInputException($"{where()}: '{node?.ToJsonString()}' must be a string.");

    private static long Number(JsonNode? node, Func<string> where) =>
        node is JsonValue v && v.TryGetValue<long>(out var n) ? n : throw new UserInputException($"{where()}: '{node?.ToJsonString()}' must be a whole number.");

    private static Tau TauOf(JsonNode? node, Func<string> where)
    {
        try
        {
            return Tau.Parse(node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? string.Empty);
        }
        catch (FormatException ex)
        {
            throw new UserInputException($"{where()}: {ex.Message}", ex);
        }
    }

    private static StudyArch Arch(JsonNode? node, Func<string> where)
    {
        if (node is JsonValue)
        {
            return StudyArch.Of(Text(node, where));
        }

        if (node is not JsonObject o || o["arch"] is null)
        {
            throw new UserInputException($"{where()}: an actor is a catalogue name or {{\"name\": \"tsa-authors\", \"arch\": \"temporal-skip-aug\", \"overrides\": {{...}}}}.");
        }

        var unknown = o.Select(p => p.Key).FirstOrDefault(k => k is not ("name" or "arch" or "overrides"));
        if (unknown is not null)
        {
            throw new UserInputException($"{where()}: unknown actor key '{unknown}'; use name, arch, overrides.");
        }

        var arch = Text(o["arch"], where);
        var overrides = o["overrides"] switch
        {
            null => null,
            JsonObject obj => (JsonObject)obj.DeepClone(),
            _ => throw new UserInputException($"{where()}: an actor's overrides must be an object of config keys."),
        };
        return new StudyArch(o["name"] is null ? arch : Text(o["name"], where), arch, overrides);
    }
}
