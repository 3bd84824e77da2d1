using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace PipeRL.Experiments.Registry;

/// <summary>Two runs side by side: every config key (nested keys as <c>ppo.learningRate</c>) and every result, differences marked.</summary>
public static class RunComparison
{
    /// <summary>The rows (key, value of A, value of B), config keys in A's order then B's extra keys, then the results.</summary>
    public static IReadOnlyList<(string Key, string A, string B)> Rows(RunRecord a, RunRecord b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var left = Flatten(a.Config);
        var right = Flatten(b.Config);
        var rows = new List<(string, string, string)>();
        foreach (var key in left.Keys.Concat(right.Keys.Where(k => !left.ContainsKey(k))))
        {
            rows.Add((key, left.GetValueOrDefault(key, "-"), right.GetValueOrDefault(key, "-")));
        }

        var c = CultureInfo.InvariantCulture;
        string Num(double? v) => v is { } x ? x.ToString("0.00", c) : "-";
        rows.Add(("status", a.Status, b.Status));
        rows.Add(("delay (ticks)", a.DelayTicks?.ToString(c) ?? "-", b.DelayTicks?.ToString(c) ?? "-"));
        rows.Add(("trained ticks", a.Ticks?.ToString("N0", c) ?? "-", b.Ticks?.ToString("N0", c) ?? "-"));
        rows.Add(("env steps", a.EnvSteps?.ToString("N0", c) ?? "-", b.EnvSteps?.ToString("N0", c) ?? "-"));
        rows.Add(("train time (s)", a.TrainSeconds?.ToString("0.0", c) ?? "-", b.TrainSeconds?.ToString("0.0", c) ?? "-"));
        rows.Add(("sampled return", $"{Num(a.SampledMean)} ± {Num(a.SampledStd)}", $"{Num(b.SampledMean)} ± {Num(b.SampledStd)}"));
        rows.Add(("greedy return", $"{Num(a.GreedyMean)} ± {Num(a.GreedyStd)}", $"{Num(b.GreedyMean)} ± {Num(b.GreedyStd)}"));
        rows.Add(("version", Or(a.Version), Or(b.Version)));
        rows.Add(("commit", Or(a.GitCommit), Or(b.GitCommit)));
        rows.Add(("started", a.StartedUtc, b.StartedUtc));
        rows.Add(("command", Or(a.CommandLine), Or(b.CommandLine)));
        return rows;
    }

    /// <summary>The rows as an aligned text table; a <c>*</c> starts each row whose values differ.</summary>
    public static string Format(RunRecord a, RunRecord b)
    {
        var rows = Rows(a, b);
        var keyWidth = Math.Max(3, rows.Max(r => r.Key.Length));
        var aWidth = Math.Max(a.Path.Length, rows.Max(r => r.A.Length));
        var sb = new StringBuilder();
        sb.Append("  ").Append("key".PadRight(keyWidth)).Append("  ").Append(a.Path.PadRight(aWidth)).Append("  ").Append(b.Path).Append('\n');
        foreach (var (key, va, vb) in rows)
        {
            sb.Append(((va == vb ? "  " : "* ") + key.PadRight(keyWidth) + "  " + va.PadRight(aWidth) + "  " + vb).TrimEnd()).Append('\n');
        }

        return sb.ToString();
    }

    private static string Or(string value) => value.Length == 0 ? "-" : value;

    private static Dictionary<string, string> Flatten(string json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string prefix)
        {
            if (node is JsonObject obj)
            {
                foreach (var (key, value) in obj)
                {
                    Walk(value, prefix.Length == 0 ? key : prefix + "." + key);
                }
            }
            else
            {
                result[prefix] = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";
            }
        }

        Walk(JsonNode.Parse(json), string.Empty);
        return result;
    }
}
