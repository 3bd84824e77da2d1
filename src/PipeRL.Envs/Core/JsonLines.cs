using System.Text.Json;

namespace PipeRL.Envs;

/// <summary>Reads a JSON Lines file record by record, naming the file and line of the first record that is malformed.</summary>
internal static class JsonLines
{
    /// <summary>
    /// Calls <paramref name="record"/> with each non-blank line's JSON and its 1-based line number. A line that does not
    /// parse, or that <paramref name="record"/> rejects with a format exception, throws <see cref="InvalidDataException"/>
    /// "<paramref name="name"/>:line: not a <paramref name="kind"/> line: reason".
    /// </summary>
    public static void Read(TextReader reader, string name, string kind, Action<JsonElement, int> record)
    {
        var lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                record(document.RootElement, lineNumber);
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or InvalidDataException)
            {
                throw new InvalidDataException($"{name}:{lineNumber}: not a {kind} line: {ex.Message}", ex);
            }
        }
    }
}
