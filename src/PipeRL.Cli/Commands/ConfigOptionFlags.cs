using System.CommandLine;
using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using PipeRL.Experiments.Configs;

namespace PipeRL.Cli.Commands;

/// <summary>
/// One <c>--kebab-case</c> option per described setting of one or more config sections (each algorithm's options, the
/// <see cref="ActorConfig"/>), its help taken from the setting's description. A setting that several sections have
/// (gamma, network, ...) is one option, whose value goes to the section the run uses.
/// </summary>
internal sealed class ConfigOptionFlags
{
    private readonly List<(Option Option, Dictionary<string, PropertyInfo> Sections)> _flags = [];

    /// <summary>Creates the options of one section's settings, whose <paramref name="defaults"/> the help shows as <paramref name="defaultsLabel"/>.</summary>
    public ConfigOptionFlags(object defaults, string defaultsLabel)
        : this([(string.Empty, defaults, defaultsLabel)])
    {
    }

    /// <summary>Creates the options of the settings of <paramref name="sections"/> (key, defaults, label of the defaults in the help).</summary>
    public ConfigOptionFlags(IReadOnlyList<(string Key, object Defaults, string Label)> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var byName = new Dictionary<string, (Option Option, Dictionary<string, PropertyInfo> Sections, List<string> Defaults)>(StringComparer.Ordinal);
        foreach (var (key, defaults, label) in sections)
        {
            foreach (var property in defaults.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.CanWrite || property.GetCustomAttribute<DescriptionAttribute>() is not { } description)
                {
                    continue;
                }

                var name = "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(property.Name);
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (!byName.TryGetValue(name, out var flag))
                {
                    Option option = type == typeof(int) ? new Option<int?>(name)
                        : type == typeof(float) ? new Option<float?>(name)
                        : type == typeof(bool) ? new Option<bool?>(name)
                        : new Option<string?>(name);
                    option.Description = description.Description;
                    flag = (option, new Dictionary<string, PropertyInfo>(StringComparer.Ordinal), []);
                    byName.Add(name, flag);
                    _flags.Add((option, flag.Sections));
                }
                else if ((Nullable.GetUnderlyingType(flag.Sections.Values.First().PropertyType) ?? flag.Sections.Values.First().PropertyType) != type)
                {
                    throw new InvalidOperationException($"Setting {name} has another type in section '{key}'.");
                }

                flag.Sections.Add(key, property);
                flag.Defaults.Add(label + Describe(property.GetValue(defaults)));
            }
        }

        foreach (var (option, owners, defaultTexts) in byName.Values)
        {
            var type = Nullable.GetUnderlyingType(owners.Values.First().PropertyType) ?? owners.Values.First().PropertyType;
            var only = sections.Count > 1 && owners.Count == 1 ? $"({owners.Keys.First()}) " : string.Empty;
            option.Description = $"{only}{option.Description} [{string.Join("; ", defaultTexts)}]";
            if (type.IsEnum)
            {
                option.Description += $" Values: {string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)))}.";
            }
        }
    }

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> Options => _flags.Select(f => f.Option);

    /// <summary>The options given on the command line.</summary>
    public IEnumerable<string> Given(ParseResult parseResult) =>
        _flags.Where(f => parseResult.GetResult(f.Option) is { Implicit: false }).Select(f => f.Option.Name);

    /// <summary>The settings of the single section given on the command line, as a JSON object with the config's names.</summary>
    public JsonObject Overrides(ParseResult parseResult) => Overrides(parseResult, string.Empty, string.Empty);

    /// <summary>
    /// The settings of section <paramref name="section"/> given on the command line, as a JSON object with the config's
    /// names; an option of another section alone is refused with <paramref name="why"/> (what picked the section).
    /// </summary>
    public JsonObject Overrides(ParseResult parseResult, string section, string why)
    {
        var json = new JsonObject();
        foreach (var (option, sections) in _flags)
        {
            if (parseResult.GetResult(option) is not { Implicit: false } result)
            {
                continue;
            }

            if (!sections.TryGetValue(section, out var property))
            {
                throw new UsageException($"{option.Name} is a {string.Join(" and ", sections.Keys)} option, but {why}; drop it.");
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
