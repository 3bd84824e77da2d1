using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Configs;

/// <summary>
/// τ in a config: τ = k is written as the number k (as configs always had it), τ = 1/m as the string "1/m"; reading
/// also accepts "k" and a decimal whose inverse is a whole number (0.25 = 1/4).
/// </summary>
public sealed class TauJsonConverter : JsonConverter<Tau>
{
    /// <inheritdoc/>
    public override Tau Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray()),
            _ => throw new JsonException("tau must be a number of env steps per tick (2) or a fraction \"1/m\" (m ticks per env step)."),
        };
        try
        {
            return Tau.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Tau value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.TicksPerEnvStep == 1)
        {
            writer.WriteNumberValue(value.EnvStepsPerTick);
        }
        else
        {
            writer.WriteStringValue(value.ToString());
        }
    }
}
