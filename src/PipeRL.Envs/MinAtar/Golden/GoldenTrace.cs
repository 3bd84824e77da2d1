using System.Text.Json;

namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>
/// A MinAtar golden trace (format <c>minatar-golden/1</c>, JSON Lines): a header, then every reset and act of a
/// reference run with its random draws, effective action, reward, terminal flag and packed observation.
/// </summary>
public sealed class GoldenTrace
{
    /// <summary>The format tag this reader understands.</summary>
    public const string Format = "minatar-golden/1";

    private GoldenTrace(string name, GoldenTraceHeader header, IReadOnlyList<GoldenTraceRecord> records)
    {
        Name = name;
        Header = header;
        Records = records;
    }

    /// <summary>The trace's name (its file name).</summary>
    public string Name { get; }

    /// <summary>The header line.</summary>
    public GoldenTraceHeader Header { get; }

    /// <summary>The operations, in file order.</summary>
    public IReadOnlyList<GoldenTraceRecord> Records { get; }

    /// <summary>Reads the trace at <paramref name="path"/>; a malformed file throws <see cref="InvalidDataException"/> naming the line.</summary>
    public static GoldenTrace Load(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, Path.GetFileName(path));
    }

    /// <summary>Reads a trace named <paramref name="name"/> from <paramref name="reader"/>.</summary>
    public static GoldenTrace Read(TextReader reader, string name)
    {
        GoldenTraceHeader? header = null;
        var records = new List<GoldenTraceRecord>();
        JsonLines.Read(reader, name, Format, (root, line) =>
        {
            if (header is null)
            {
                header = ParseHeader(root);
            }
            else
            {
                records.Add(ParseRecord(root, line));
            }
        });

        if (header is null)
        {
            throw new InvalidDataException($"{name}: empty file; a {Format} trace starts with a header line.");
        }

        if (records.Count == 0 || !records[0].IsReset)
        {
            throw new InvalidDataException($"{name}: the first record after the header must be a reset.");
        }

        // The header declares the trace's length, so a file cut at a line boundary is caught, not replayed as shorter.
        var acts = records.Count(r => !r.IsReset);
        if (acts != header.MaxActs)
        {
            throw new InvalidDataException(header.MaxActs < 1
                ? $"{name}: the header declares no max_acts, so a cut trace could not be told from a whole one."
                : $"{name}: {acts} acts, but the header declares max_acts {header.MaxActs}; the file is {(acts < header.MaxActs ? "truncated" : "longer than declared")}.");
        }

        return new GoldenTrace(name, header, records);
    }

    private static GoldenTraceHeader ParseHeader(JsonElement root)
    {
        if (Field(root, "type").GetString() != "header")
        {
            throw new InvalidDataException("the first line must be the header (\"type\":\"header\").");
        }

        var format = root.TryGetProperty("format", out var f) ? f.GetString() : Format;
        if (format != Format)
        {
            throw new InvalidDataException($"format '{format}' is not supported; expected '{Format}'.");
        }

        return new GoldenTraceHeader(
            Field(root, "game").GetString() ?? throw new InvalidDataException("'game' is null."),
            Field(root, "seed").GetUInt32(),
            Field(root, "sticky_action_prob").GetDouble(),
            Field(root, "difficulty_ramping").GetBoolean(),
            root.TryGetProperty("policy", out var policy) ? policy.GetString() ?? string.Empty : string.Empty,
            root.TryGetProperty("max_acts", out var maxActs) ? maxActs.GetInt32() : 0,
            [.. Field(root, "channels").EnumerateArray().Select(c => c.GetString() ?? string.Empty)],
            [.. Field(root, "minimal_action_set").EnumerateArray().Select(a => a.GetInt32())],
            root.TryGetProperty("hidden_fields", out var hidden) ? [.. hidden.EnumerateArray().Select(h => h.GetString() ?? string.Empty)] : []);
    }

    private static GoldenTraceRecord ParseRecord(JsonElement root, int line)
    {
        var op = Field(root, "op").GetString();
        var isReset = op switch
        {
            "reset" => true,
            "act" => false,
            _ => throw new InvalidDataException($"unknown op '{op}'; expected 'reset' or 'act'."),
        };
        var draws = new List<GoldenDraw>();
        foreach (var draw in Field(root, "draws").EnumerateArray())
        {
            AddDraws(draw, draws);
        }

        var hidden = root.TryGetProperty("h", out var h) && h.ValueKind == JsonValueKind.Array
            ? h.EnumerateArray().Select(v => v.GetInt32()).ToArray()
            : [];
        var observation = Convert.FromHexString(Field(root, "obs").GetString() ?? string.Empty);
        if (isReset)
        {
            return new GoldenTraceRecord { Line = line, IsReset = true, Draws = draws, Observation = observation, Hidden = hidden };
        }

        return new GoldenTraceRecord
        {
            Line = line,
            IsReset = false,
            Action = Field(root, "a").GetInt32(),
            EffectiveAction = Field(root, "ae").GetInt32(),
            Reward = Field(root, "r").GetInt32(),
            Terminal = Field(root, "term").GetBoolean(),
            Ramp = root.TryGetProperty("ramp", out var ramp) && ramp.ValueKind == JsonValueKind.Number ? ramp.GetInt32() : null,
            Draws = draws,
            Observation = observation,
            Hidden = hidden,
        };
    }

    private static JsonElement Field(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"missing field '{name}'.");

    // Each entry is [src, fn, args, value]; vector draws expand to scalar ones in index order.
    private static void AddDraws(JsonElement draw, List<GoldenDraw> draws)
    {
        var source = (draw[0].GetString() ?? "?")[0];
        var function = draw[1].GetString();
        var args = draw[2].EnumerateArray().Select(a => a.GetInt32()).ToArray();
        var value = draw[3];
        switch (function, args.Length)
        {
            case ("rand", 0):
                draws.Add(new GoldenDraw(source, false, 0, 0, value.GetDouble()));
                break;
            case ("rand", 1):
                foreach (var v in value.EnumerateArray())
                {
                    draws.Add(new GoldenDraw(source, false, 0, 0, v.GetDouble()));
                }

                break;
            case ("randint", 1):
                draws.Add(new GoldenDraw(source, true, 0, args[0], value.GetInt32()));
                break;
            case ("randint", 2):
                draws.Add(new GoldenDraw(source, true, args[0], args[1], value.GetInt32()));
                break;
            case ("randint", 3):
                foreach (var v in value.EnumerateArray())
                {
                    draws.Add(new GoldenDraw(source, true, args[0], args[1], v.GetInt32()));
                }

                break;
            default:
                throw new InvalidDataException($"unknown draw {function} with {args.Length} arguments.");
        }
    }
}
