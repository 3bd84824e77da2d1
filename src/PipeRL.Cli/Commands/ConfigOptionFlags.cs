using System.CommandLine;
using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;

namespace PipeRL.Cli.Commands;

/// <summary>
/// One <c>--kebab-case</c> option per described setting of a config section (<see cref="PpoOptions"/>,
/// <see cref="ActorConfig"/>), its help taken from the setting's description.
/// </summary>
internal sealed class ConfigOptionFlags
{
    private readonly List<(Option Option, PropertyInfo Property)> _flags = [];

    /// <summary>Creates the options of <paramref name="defaults"/>' settings, whose values the help shows as <paramref name="defaultsLabel"/>.</summary>
    public ConfigOptionFlags(object defaults, string defaultsLabel)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        foreach (var property in defaults.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || property.GetCustomAttribute<DescriptionAttribute>() is not { } description)
            {
                continue;
            }

            var name = "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(property.Name);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var defaultText = Describe(property.GetValue(defaults));
            Option option = type == typeof(int) ? new Option<int?>(name)
                : type == typeof(float) ? new Option<float?>(name)
                : type == typeof(bool) ? new Option<bool?>(name)
                : new Option<string?>(name);
            option.Description = $"{description.Description} [{defaultsLabel}{defaultText}]";
            if (type.IsEnum)
            {
                option.Description += $" Values: {string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)))}.";
            }

            _flags.Add((option, property));
        }
    }

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> Options => _flags.Select(f => f.Option);

    /// <summary>The hyperparameters given on the command line, as a JSON object with the config's names.</summary>
    public JsonObject Overrides(ParseResult parseResult)
    {
        var json = new JsonObject();
        foreach (var (option, property) in _flags)
        {
            if (parseResult.GetResult(option) is not { Implicit: false } result)
            {
                continue;
            }

            var key = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            json[key] = result.GetValueOrDefault<object?>() switch
            {
                int i => JsonValue.Create(i),
                float f when !float.IsFinite(f) => throw new UsageException($"{option.Name} must be a finite number; got {string.Join(' ', result.Tokens.Select(t => t.Value))}."),
                float f => JsonValue.Create(f),
                bool b => JsonValue.Create(b),
                string s => JsonValue.Create(s),
                _ => null,
            };
        }

        return json;
    }

    private static string Describe(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        Enum e => JsonNamingPolicy.KebabCaseLower.ConvertName(e.ToString()),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
