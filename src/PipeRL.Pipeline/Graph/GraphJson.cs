using System.Text;
using System.Text.Json;

namespace PipeRL.Pipeline.Graph;

/// <summary>
/// Reads and writes a graph as JSON: <c>{"layers": [{"name", "kind", "inputs", ...attributes}]}</c>, where an
/// input is a layer name (pipelined default timing) or <c>{"from": name, "tick": "same" | "previous"}</c>.
/// </summary>
public static class GraphJson
{
    private static readonly (LayerKind Kind, string Name)[] KindNames =
    [
        (LayerKind.Input, "input"), (LayerKind.Dense, "dense"), (LayerKind.Conv2d, "conv2d"), (LayerKind.LstmCell, "lstm-cell"),
        (LayerKind.Activation, "activation"), (LayerKind.Concat, "concat"), (LayerKind.Add, "add"), (LayerKind.Scale, "scale"),
        (LayerKind.Flatten, "flatten"), (LayerKind.Reshape, "reshape"),
        (LayerKind.Slice, "slice"), (LayerKind.CategoricalHead, "categorical-head"), (LayerKind.GaussianHead, "gaussian-head"),
        (LayerKind.ValueHead, "value-head"), (LayerKind.Pool, "pool"),
    ];

    private static readonly string[] KnownProperties =
        ["name", "kind", "inputs", "units", "kernel", "stride", "padding", "activation", "bias", "factor", "shape", "start", "length", "mode"];

    /// <summary>The JSON name of a layer kind.</summary>
    public static string KindName(LayerKind kind) => Array.Find(KindNames, k => k.Kind == kind).Name;

    /// <summary>The JSON name of a pooling mode: <c>max</c> or <c>avg</c>.</summary>
    public static string PoolModeName(PoolMode mode) => mode == PoolMode.Max ? "max" : "avg";

    /// <summary>Parses and validates a graph; malformed JSON or an invalid graph throws <see cref="GraphException"/>.</summary>
    public static PipelineGraph Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new GraphException($"The graph description is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            {
                throw new GraphException("A graph description is an object with a \"layers\" array.");
            }

            var specs = new List<LayerSpec>();
            var index = 0;
            foreach (var layer in layers.EnumerateArray())
            {
                try
                {
                    specs.Add(ReadLayer(layer, index++));
                }
                catch (Exception ex) when (ex is InvalidOperationException or FormatException)
                {
                    // JsonElement's accessors say so when a value has another JSON type than the attribute takes.
                    throw new GraphException($"Layer #{index - 1} has a value of the wrong JSON type: {ex.Message}", ex);
                }
            }

            return new PipelineGraph(specs);
        }
    }

    /// <summary>Writes <paramref name="graph"/> with every timing explicit; parsing the result gives the same graph.</summary>
    public static string Write(PipelineGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("layers");
            foreach (var spec in graph.ToSpecs())
            {
                WriteLayer(writer, spec);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static LayerSpec ReadLayer(JsonElement layer, int index)
    {
        if (layer.ValueKind != JsonValueKind.Object)
        {
            throw new GraphException($"Layer #{index} must be a JSON object.");
        }

        foreach (var property in layer.EnumerateObject())
        {
            if (!KnownProperties.Contains(property.Name))
            {
                throw new GraphException($"Layer #{index} has an unknown property \"{property.Name}\"; known: {string.Join(", ", KnownProperties)}.");
            }
        }

        var name = String(layer, "name", index) ?? throw new GraphException($"Layer #{index} needs a \"name\".");
        var kindText = String(layer, "kind", index) ?? throw new GraphException($"Layer '{name}' needs a \"kind\".");
        var kind = Array.Find(KindNames, k => k.Name == kindText);
        if (kind.Name is null)
        {
            throw new GraphException($"Layer '{name}' has an unknown kind \"{kindText}\"; known: {string.Join(", ", KindNames.Select(k => k.Name))}.");
        }

        var spec = new LayerSpec(name, kind.Kind, ReadInputs(layer, name))
        {
            Units = Int(layer, "units", name) ?? 0,
            Kernel = Int(layer, "kernel", name) ?? 0,
            Stride = Int(layer, "stride", name) ?? 0,
            Padding = Int(layer, "padding", name) ?? 0,
            Start = Int(layer, "start", name) ?? 0,
            Length = Int(layer, "length", name) ?? 0,
            Shape = Ints(layer, "shape", name) ?? [],
        };
        if (layer.TryGetProperty("activation", out var activation))
        {
            spec = spec with { Activation = ReadActivation(activation, name) };
        }

        if (layer.TryGetProperty("mode", out var mode))
        {
            spec = spec with { Pool = ReadPoolMode(mode, name) };
        }

        if (layer.TryGetProperty("bias", out var bias))
        {
            spec = spec with { Bias = bias.ValueKind == JsonValueKind.True || (bias.ValueKind == JsonValueKind.False ? false : throw new GraphException($"Layer '{name}': \"bias\" must be true or false.")) };
        }

        if (layer.TryGetProperty("factor", out var factor))
        {
            spec = spec with { Factor = factor.ValueKind == JsonValueKind.Number ? factor.GetSingle() : throw new GraphException($"Layer '{name}': \"factor\" must be a number.") };
        }

        return spec;
    }

    private static LayerInput[] ReadInputs(JsonElement layer, string name)
    {
        if (!layer.TryGetProperty("inputs", out var inputs))
        {
            return [];
        }

        if (inputs.ValueKind != JsonValueKind.Array)
        {
            throw new GraphException($"Layer '{name}': \"inputs\" must be an array of layer names or {{\"from\", \"tick\"}} objects.");
        }

        var result = new List<LayerInput>();
        foreach (var input in inputs.EnumerateArray())
        {
            if (input.ValueKind == JsonValueKind.String)
            {
                result.Add(new LayerInput(input.GetString()!));
                continue;
            }

            if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty("from", out var from) || from.ValueKind != JsonValueKind.String)
            {
                throw new GraphException($"Layer '{name}': each input is a layer name or an object {{\"from\": name, \"tick\": \"same\" | \"previous\"}}.");
            }

            TickTiming? timing = null;
            if (input.TryGetProperty("tick", out var tick))
            {
                timing = tick.GetString() switch
                {
                    "same" => TickTiming.SameTick,
                    "previous" => TickTiming.PreviousTick,
                    _ => throw new GraphException($"Layer '{name}': input tick must be \"same\" or \"previous\", got {tick.GetRawText()}."),
                };
            }

            result.Add(new LayerInput(from.GetString()!, timing));
        }

        return [.. result];
    }

    private static Activation ReadActivation(JsonElement element, string name) => element.GetString() switch
    {
        "none" => Activation.None,
        "relu" => Activation.Relu,
        "tanh" => Activation.Tanh,
        "sigmoid" => Activation.Sigmoid,
        _ => throw new GraphException($"Layer '{name}' has an unknown activation {element.GetRawText()}; known: none, relu, tanh, sigmoid."),
    };

    private static PoolMode ReadPoolMode(JsonElement element, string name) => element.ValueKind == JsonValueKind.String
        ? element.GetString() switch
        {
            "max" => PoolMode.Max,
            "avg" => PoolMode.Average,
            _ => throw new GraphException($"Layer '{name}' has an unknown pooling mode {element.GetRawText()}; known: max, avg."),
        }
        : throw new GraphException($"Layer '{name}': \"mode\" must be \"max\" or \"avg\".");

    private static string? String(JsonElement layer, string property, int index)
    {
        if (!layer.TryGetProperty(property, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new GraphException($"Layer #{index}: \"{property}\" must be a string.");
    }

    private static int? Int(JsonElement layer, string property, string name)
    {
        if (!layer.TryGetProperty(property, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new GraphException($"Layer '{name}': \"{property}\" must be an integer.");
    }

    private static int[]? Ints(JsonElement layer, string property, string name)
    {
        if (!layer.TryGetProperty(property, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new GraphException($"Layer '{name}': \"{property}\" must be an array of integers.");
        }

        return [.. value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)
            ? n
            : throw new GraphException($"Layer '{name}': \"{property}\" must be an array of integers."))];
    }

    private static void WriteLayer(Utf8JsonWriter writer, LayerSpec spec)
    {
        writer.WriteStartObject();
        writer.WriteString("name", spec.Name);
        writer.WriteString("kind", KindName(spec.Kind));
        if (spec.Inputs.Count > 0)
        {
            writer.WriteStartArray("inputs");
            foreach (var input in spec.Inputs)
            {
                writer.WriteStartObject();
                writer.WriteString("from", input.Source);
                writer.WriteString("tick", input.Timing == TickTiming.PreviousTick ? "previous" : "same");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        WriteIf(writer, "units", spec.Units);
        WriteIf(writer, "kernel", spec.Kernel);
        WriteIf(writer, "stride", spec.Stride);
        WriteIf(writer, "padding", spec.Padding);
        WriteIf(writer, "start", spec.Start);
        WriteIf(writer, "length", spec.Length);
        if (spec.Activation != Activation.None)
        {
            writer.WriteString("activation", spec.Activation.ToString().ToLowerInvariant());
        }

        if (!spec.Bias)
        {
            writer.WriteBoolean("bias", false);
        }

        if (spec.Kind == LayerKind.Pool)
        {
            writer.WriteString("mode", PoolModeName(spec.Pool));
        }

        if (spec.Kind == LayerKind.Scale)
        {
            writer.WriteNumber("factor", spec.Factor);
        }

        WriteArray(writer, "shape", spec.Shape);
        writer.WriteEndObject();
    }

    private static void WriteIf(Utf8JsonWriter writer, string property, int value)
    {
        if (value != 0)
        {
            writer.WriteNumber(property, value);
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, string property, IReadOnlyList<int> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(property);
        foreach (var v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }
}
