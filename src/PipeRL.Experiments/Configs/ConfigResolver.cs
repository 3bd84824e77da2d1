using System.Text.Json.Nodes;

namespace PipeRL.Experiments.Configs;

/// <summary>
/// Resolves a run's config from, in rising precedence: the preset's defaults, a config file, and the command line
/// (each a JSON object with <see cref="ConfigJson"/>'s names; nested objects such as <c>ppo</c> merge key by key).
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
        var preset = PresetOf(overrides) ?? PresetOf(file) ?? "small";
        var baseConfig = new TrainConfig { Preset = preset, Ppo = TrainConfig.PresetOptions(preset) };
        var merged = ParseObject(ConfigJson.Serialize(baseConfig), "defaults");
        Merge(merged, file);
        Merge(merged, overrides);
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

    private static string? PresetOf(JsonObject json) =>
        json["preset"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

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
