using System.Text.Json;
using System.Text.Json.Nodes;
using PipeRL.Experiments.Training;

namespace PipeRL.Experiments.Configs;

/// <summary>
/// Resolves a run's config from, in rising precedence: the preset's defaults, a config file, and the command line
/// (each a JSON object with <see cref="ConfigJson"/>'s names; nested objects such as <c>ppo</c> merge key by key). The
/// algorithm is the one named, else the named preset's, else <c>ppo</c>; the preset is the one named, else the
/// algorithm's default for the env's family (<see cref="Algorithms.DefaultPreset"/>).
/// </summary>
public static class ConfigResolver
{
    /// <summary>
    /// The resolved, validated config; throws a <see cref="UserInputException"/> naming the first problem (and, without a
    /// config file, <paramref name="source"/>: where the overrides came from, "from the command line" by default).
    /// </summary>
    public static TrainConfig Resolve(string? configFile, JsonObject overrides, string source = "from the command line")
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var file = configFile is null ? new JsonObject() : ParseObject(ReadFile(configFile), $"'{configFile}'");
        var algo = AlgoOf(file, overrides);
        var env = TextOf(overrides, "env") ?? TextOf(file, "env") ?? new TrainConfig().Env;
        var preset = TextOf(overrides, "preset") ?? TextOf(file, "preset") ?? Algorithms.DefaultPreset(algo, env);
        var options = Algorithms.PresetOf(algo, preset).Options;
        var baseConfig = new TrainConfig { Algo = algo, Preset = preset, Actor = ActorConfig.Default };
        var merged = ParseObject(ConfigJson.Serialize(baseConfig), "defaults");
        merged[algo] = ParseObject(JsonSerializer.Serialize(options, options.GetType(), ConfigJson.Options), "defaults");
        Merge(merged, file);
        Merge(merged, overrides);
        foreach (var section in Algorithms.Names.Where(n => merged.ContainsKey(n) && merged[n] is null))
        {
            throw new UserInputException($"Config key '{section}' is null; give it an object of {section} options or leave it out for the preset's.");
        }

        var config = ConfigJson.Parse(merged.ToJsonString(), configFile is null ? source : $"'{configFile}' with the command line");
        config.Validate();
        return config;
    }

    /// <summary>Copies every key of <paramref name="source"/> into <paramref name="target"/>, merging nested objects.</summary>
    public static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject nested && target[key] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>
    /// The algorithm of a run resolved from <paramref name="configFile"/> and <paramref name="overrides"/>: the one named
    /// (command line first), else the named preset's, else <c>ppo</c>; throws a <see cref="UserInputException"/> for
    /// an unknown one.
    /// </summary>
    public static string Algo(string? configFile, JsonObject overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return AlgoOf(configFile is null ? new JsonObject() : ParseObject(ReadFile(configFile), $"'{configFile}'"), overrides);
    }

    private static string AlgoOf(JsonObject file, JsonObject overrides)
    {
        var preset = TextOf(overrides, "preset") ?? TextOf(file, "preset");
        var algo = TextOf(overrides, "algo") ?? TextOf(file, "algo") ?? (preset is null ? Algorithms.Ppo : Algorithms.PresetNamed(preset).Algo);
        Algorithms.RequireKnown(algo);
        return algo;
    }

    private static string? TextOf(JsonObject json, string key) =>
        json[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string ReadFile(string path) => File.Exists(path)
        ? ConfigJson.ReadText(path)
        : throw new UserInputException($"Config file '{path}' does not exist.");

    private static JsonObject ParseObject(string json, string source)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject
                ?? throw new UserInputException($"Config {source} must be a JSON object such as {{\"env\": \"classic/cartpole\"}}.");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new UserInputException($"Config {source} is not valid JSON (line {ex.LineNumber + 1}).", ex);
        }
    }
}
