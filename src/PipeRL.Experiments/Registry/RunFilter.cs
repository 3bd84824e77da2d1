namespace PipeRL.Experiments.Registry;

/// <summary>
/// Which runs <c>piperl runs --filter</c> lists: terms <c>KEY=VALUE</c>, all of which must hold. A value may list
/// alternatives (<c>arch=instant,pipelined</c>) and use <c>*</c> for any text (<c>env=minatar/*</c>); a term
/// <c>KEY!=VALUE</c> excludes.
/// </summary>
public sealed class RunFilter
{
    /// <summary>The keys a term may name.</summary>
    public static readonly IReadOnlyList<string> Keys = ["name", "path", "study", "env", "arch", "tau", "seed", "algo", "preset", "status", "version", "commit"];

    private readonly List<(string Key, bool Negated, string[] Patterns)> _terms = [];

    private RunFilter()
    {
    }

    /// <summary>Parses <paramref name="terms"/>; a <see cref="UserInputException"/> names a malformed term or an unknown key.</summary>
    public static RunFilter Parse(IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var filter = new RunFilter();
        foreach (var term in terms)
        {
            var eq = term.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == term.Length - 1)
            {
                throw new UserInputException($"--filter takes KEY=VALUE (keys: {string.Join(", ", Keys)}); '{term}' is not one.");
            }

            var negated = term[eq - 1] == '!';
            var key = term[..(negated ? eq - 1 : eq)].Trim().ToLowerInvariant();
            if (!Keys.Contains(key))
            {
                throw new UserInputException($"--filter: unknown key '{key}'; use one of {string.Join(", ", Keys)}.");
            }

            filter._terms.Add((key, negated, term[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
        }

        return filter;
    }

    /// <summary>Whether <paramref name="record"/> satisfies every term.</summary>
    public bool Matches(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var (key, negated, patterns) in _terms)
        {
            var value = key switch
            {
                "name" => record.Name,
                "path" => record.Path,
                "study" => record.Study,
                "env" => record.Env,
                "arch" => record.Arch,
                "tau" => record.Tau,
                "seed" => record.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "algo" => record.Algo,
                "preset" => record.Preset,
                "status" => record.Status,
                "version" => record.Version,
                _ => record.GitCommit,
            };
            if (patterns.Any(p => Glob(p, value)) == negated)
            {
                return false;
            }
        }

        return true;
    }

    // '*' matches any run of characters; everything else literally (ordinal, case-sensitive like env ids and names).
    private static bool Glob(string pattern, string value)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return pattern == value;
        }

        if (!value.StartsWith(parts[0], StringComparison.Ordinal) || !value.EndsWith(parts[^1], StringComparison.Ordinal)
            || value.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var at = parts[0].Length;
        var end = value.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = value.IndexOf(parts[i], at, end - at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + parts[i].Length;
        }

        return true;
    }
}
