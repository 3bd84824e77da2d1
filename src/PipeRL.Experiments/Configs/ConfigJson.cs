using System.Text.Json;
using System.Text.Json.Serialization;
using PipeRL.Agents;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Configs;

/// <summary>Reads and writes <see cref="TrainConfig"/> as indented JSON with camelCase names and kebab-case enum values.</summary>
public static class ConfigJson
{
    /// <summary>The serializer options: unknown properties are errors, so a typo never silently falls back to a default.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new TauJsonConverter() },
    };

    /// <summary>The options for reports such as <c>evaluation.json</c>: as <see cref="Options"/>, writing NaN (no episodes evaluated) as "NaN".</summary>
    public static JsonSerializerOptions ReportOptions { get; } = new(Options) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The config as JSON text.</summary>
    public static string Serialize(TrainConfig config) => JsonSerializer.Serialize(config, Options);

    /// <summary>Parses <paramref name="json"/>; throws a <see cref="UserInputException"/> saying what is wrong in <paramref name="source"/>.</summary>
    public static TrainConfig Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainConfig>(json, Options)
                ?? throw new UserInputException($"Config {source} is empty; write a JSON object such as {{\"env\": \"classic/cartpole\"}}.");
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1})" : string.Empty;
            var at = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $" at '{ex.Path.TrimStart('$', '.')}'";
            throw new UserInputException($"Config {source} is not a valid run config{at}{where}: {FirstSentence(ex.Message)}{ValidValues(ex.Message)}", ex);
        }
    }

    /// <summary>Reads the config file at <paramref name="path"/>.</summary>
    public static TrainConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"Config file '{path}' does not exist.");
        }

        return Parse(ReadText(path), $"'{path}'");
    }

    /// <summary>The text of the file at <paramref name="path"/>; a file that cannot be read is a <see cref="UserInputException"/> naming it.</summary>
    public static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot read '{path}': {ex.Message}", ex);
        }
    }

    private static string ValidValues(string message)
    {
        var type = new[] { typeof(ITrainerOptions).Assembly, typeof(Tau).Assembly }.SelectMany(a => a.GetTypes()).FirstOrDefault(t => t.IsEnum && t.FullName is { } name && message.Contains(name, StringComparison.Ordinal));
        return type is null ? string.Empty : $" Valid values: {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.KebabCaseLower.ConvertName))}.";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
