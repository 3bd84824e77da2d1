using System.Reflection;
using System.Text.Json;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;

namespace PipeRL.Experiments.Registry;

/// <summary>Where a run came from, kept in its folder as <c>provenance.json</c>: PipeRL's version and commit, the command line, the start time.</summary>
/// <param name="Version">PipeRL's version, for example <c>0.1.0</c>.</param>
/// <param name="GitCommit">The commit PipeRL was built from, or null when the build did not record one.</param>
/// <param name="CommandLine">The command that started the run.</param>
/// <param name="StartedUtc">When the run was started (ISO 8601, UTC).</param>
public sealed record RunProvenance(string Version, string? GitCommit, string CommandLine, string StartedUtc)
{
    /// <summary>The file name in a run folder.</summary>
    public const string FileName = "provenance.json";

    /// <summary>This process's provenance, started at <paramref name="now"/>.</summary>
    public static RunProvenance Current(DateTimeOffset now)
    {
        var info = typeof(RunProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = info.IndexOf('+', StringComparison.Ordinal);
        var args = Environment.GetCommandLineArgs();
        var command = "piperl" + string.Concat(args.Skip(1).Select(a => " " + Quote(a)));
        return new RunProvenance(plus < 0 ? info : info[..plus], plus < 0 ? null : info[(plus + 1)..], command, now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Reads the provenance of <paramref name="run"/>, or null when it has none (runs from before provenance was kept) or it is unreadable.</summary>
    public static RunProvenance? Read(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var path = Path.Combine(run.Path, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<RunProvenance>(File.ReadAllText(path), ConfigJson.Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes this provenance into <paramref name="run"/> atomically.</summary>
    public void Write(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        AtomicFile.WriteAllText(Path.Combine(run.Path, FileName), JsonSerializer.Serialize(this, ConfigJson.Options) + "\n");
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,".Contains(c, StringComparison.Ordinal))
        ? arg
        : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
