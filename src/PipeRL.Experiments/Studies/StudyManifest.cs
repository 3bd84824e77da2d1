using System.Text.Json;
using PipeRL.Experiments.Runs;

namespace PipeRL.Experiments.Studies;

/// <summary>
/// A study folder's <c>study.json</c>: which actor label each run folder belongs to (variants of one architecture share
/// its catalogue name in their configs). Every study that ran in the folder adds its runs.
/// </summary>
public static class StudyManifest
{
    /// <summary>The file name in a study folder.</summary>
    public const string FileName = "study.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The labels by run folder name; empty when the folder has no manifest (studies from before it was kept).</summary>
    public static IReadOnlyDictionary<string, string> Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>();
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [];
        }
        catch (JsonException ex)
        {
            throw new UserInputException($"{path} is not a study manifest ({ex.Message}); delete it to label runs by their architecture.", ex);
        }
    }

    /// <summary>Adds <paramref name="entries"/> to the manifest of <paramref name="folder"/>, atomically.</summary>
    public static void Add(string folder, IEnumerable<StudyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var labels = new SortedDictionary<string, string>(Read(folder).ToDictionary(), StringComparer.Ordinal);
        foreach (var e in entries)
        {
            labels[e.Name] = e.Label;
        }

        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(labels, Indented) + "\n");
    }
}
