using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace PipeRL.Experiments.Runs.TensorBoard;

/// <summary>
/// The protobuf encoding of TensorFlow's <c>Event</c> message (<c>event.proto</c>), for the two kinds TensorBoard needs
/// for scalars: the file-version event that opens a file, and an event with a <c>Summary</c> of
/// <c>Value { tag, simple_value }</c> entries. Field numbers: Event.wall_time = 1 (double), step = 2 (int64),
/// file_version = 3 (string), summary = 5; Summary.value = 1 (repeated); Value.tag = 1 (string), simple_value = 2 (float).
/// </summary>
public static class EventProto
{
    /// <summary>The version string of the event files TensorBoard reads today.</summary>
    public const string FileVersionText = "brain.Event:2";

    private const byte WallTimeKey = (1 << 3) | 1;      // field 1, wire type 1 (64-bit)
    private const byte StepKey = 2 << 3;                 // field 2, wire type 0 (varint)
    private const byte FileVersionKey = (3 << 3) | 2;   // field 3, wire type 2 (length-delimited)
    private const byte SummaryKey = (5 << 3) | 2;       // field 5, length-delimited
    private const byte ValueKey = (1 << 3) | 2;         // Summary.value: field 1, length-delimited
    private const byte TagKey = (1 << 3) | 2;           // Value.tag: field 1, length-delimited
    private const byte SimpleValueKey = (2 << 3) | 5;   // Value.simple_value: field 2, wire type 5 (32-bit)

    /// <summary>Appends the event that opens every event file: its wall time and <see cref="FileVersionText"/>.</summary>
    public static void WriteFileVersion(IBufferWriter<byte> output, double wallTime)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteHeader(output, wallTime, 0);
        WriteKey(output, FileVersionKey);
        WriteString(output, FileVersionText);
    }

    /// <summary>Appends an event at <paramref name="step"/> whose summary holds one simple value per tag.</summary>
    public static void WriteScalars(IBufferWriter<byte> output, double wallTime, long step, ReadOnlySpan<string> tags, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNotEqual(values.Length, tags.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        WriteHeader(output, wallTime, step);
        var summaryLength = 0;
        for (var i = 0; i < tags.Length; i++)
        {
            var value = ValueLength(tags[i]);
            summaryLength += 1 + VarintLength((ulong)value) + value;
        }

        WriteKey(output, SummaryKey);
        WriteVarint(output, (ulong)summaryLength);
        for (var i = 0; i < tags.Length; i++)
        {
            WriteKey(output, ValueKey);
            WriteVarint(output, (ulong)ValueLength(tags[i]));
            WriteKey(output, TagKey);
            WriteString(output, tags[i]);
            WriteKey(output, SimpleValueKey);
            BinaryPrimitives.WriteSingleLittleEndian(output.GetSpan(4), values[i]);
            output.Advance(4);
        }
    }

    /// <summary>Decodes an event written by this class (or by TensorFlow; fields other than these are skipped).</summary>
    public static TensorBoardEvent Read(ReadOnlySpan<byte> payload)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<KeyValuePair<string, float>>();
        var reader = new Reader(payload);
        while (!reader.End)
        {
            var (field, wire) = reader.Key();
            switch (field, wire)
            {
                case (1, 1): wallTime = BinaryPrimitives.ReadDoubleLittleEndian(reader.Bytes(8)); break;
                case (2, 0): step = (long)reader.Varint(); break;
                case (3, 2): fileVersion = Encoding.UTF8.GetString(reader.Delimited()); break;
                case (5, 2): ReadSummary(reader.Delimited(), scalars); break;
                default: reader.Skip(wire); break;
            }
        }

        return new TensorBoardEvent(wallTime, step, fileVersion, scalars);
    }

    private static void ReadSummary(ReadOnlySpan<byte> summary, List<KeyValuePair<string, float>> scalars)
    {
        var reader = new Reader(summary);
        while (!reader.End)
        {
            var (field, wire) = reader.Key();
            if ((field, wire) != (1, 2))
            {
                reader.Skip(wire);
                continue;
            }

            var value = new Reader(reader.Delimited());
            string? tag = null;
            float? simple = null;
            while (!value.End)
            {
                var (f, w) = value.Key();
                switch (f, w)
                {
                    case (1, 2): tag = Encoding.UTF8.GetString(value.Delimited()); break;
                    case (2, 5): simple = BinaryPrimitives.ReadSingleLittleEndian(value.Bytes(4)); break;
                    default: value.Skip(w); break;
                }
            }

            if (tag is not null && simple is { } v)
            {
                scalars.Add(new(tag, v));
            }
        }
    }

    // proto3 leaves fields at their default value out, as TensorFlow's writer does (the file-version event has no step).
    private static void WriteHeader(IBufferWriter<byte> output, double wallTime, long step)
    {
        if (wallTime != 0)
        {
            WriteKey(output, WallTimeKey);
            BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), wallTime);
            output.Advance(8);
        }

        if (step != 0)
        {
            WriteKey(output, StepKey);
            WriteVarint(output, (ulong)step);
        }
    }

    private static int ValueLength(string tag)
    {
        var bytes = Encoding.UTF8.GetByteCount(tag);
        return 1 + VarintLength((ulong)bytes) + bytes + 1 + 4;
    }

    private static void WriteKey(IBufferWriter<byte> output, byte key)
    {
        output.GetSpan(1)[0] = key;
        output.Advance(1);
    }

    private static void WriteString(IBufferWriter<byte> output, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteVarint(output, (ulong)length);
        Encoding.UTF8.GetBytes(text, output.GetSpan(length));
        output.Advance(length);
    }

    private static void WriteVarint(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static int VarintLength(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool End => _rest.IsEmpty;

        public (int Field, int Wire) Key()
        {
            var key = Varint();
            return ((int)(key >> 3), (int)(key & 7));
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Bytes(1)[0];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException("Event: a varint runs past 10 bytes.");
        }

        public ReadOnlySpan<byte> Delimited() => Bytes(checked((int)Varint()));

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (count > _rest.Length)
            {
                throw new InvalidDataException("Event: a field runs past the end of its message.");
            }

            var bytes = _rest[..count];
            _rest = _rest[count..];
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Bytes(8); break;
                case 2: Delimited(); break;
                case 5: Bytes(4); break;
                default: throw new InvalidDataException($"Event: unknown wire type {wire}.");
            }
        }
    }
}
