using System.Globalization;
using System.Text.Json;

namespace PipeRL.Bench.Harness;

/// <summary>A benchmark report: environment header, results table, notes; printable and savable as JSON.</summary>
/// <param name="Title">What was measured, e.g. <c>engine</c>.</param>
/// <param name="Environment">Machine and runtime.</param>
/// <param name="Results">One row per case.</param>
/// <param name="Notes">Legend lines printed under the table.</param>
public sealed record BenchReport(string Title, BenchEnvironment Environment, IReadOnlyList<BenchResult> Results, IReadOnlyList<string> Notes)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes the header, an aligned table and the notes.</summary>
    public void Write(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"piperl bench {Title}");
        Environment.Write(output);
        output.WriteLine();
        string[] header = ["Case", "Median", "Min", "P90", "Max", "CPU median", "Reps", "Target", "Median/Target", "Min/Target", "CPU/Target"];
        var rows = new List<string[]> { header };
        foreach (var r in Results)
        {
            rows.Add(
            [
                r.Name, FormatTime(r.Median), FormatTime(r.Min), FormatTime(r.P90), FormatTime(r.Max),
                r.CpuMedian is { } cm ? FormatTime(cm) : "-",
                r.Repetitions.ToString(CultureInfo.InvariantCulture),
                r.Target is { } t ? FormatTime(t) : "-",
                Ratio(r.MedianToTarget), Ratio(r.MinToTarget), Ratio(r.CpuToTarget),
            ]);
        }

        var widths = new int[header.Length];
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        for (int i = 0; i < rows.Count; i++)
        {
            var cells = rows[i].Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
            if (i == 0)
            {
                output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }

        if (Notes.Count > 0)
        {
            output.WriteLine();
            foreach (var note in Notes)
            {
                output.WriteLine(note);
            }
        }
    }

    private static string Ratio(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    /// <summary>The report as indented JSON (times in seconds).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Formats seconds with a readable unit (ns, µs, ms, s).</summary>
    public static string FormatTime(double seconds) => seconds switch
    {
        < 1e-6 => (seconds * 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " ns",
        < 1e-3 => (seconds * 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " us",
        < 1 => (seconds * 1e3).ToString("0.000", CultureInfo.InvariantCulture) + " ms",
        _ => seconds.ToString("0.000", CultureInfo.InvariantCulture) + " s",
    };
}
