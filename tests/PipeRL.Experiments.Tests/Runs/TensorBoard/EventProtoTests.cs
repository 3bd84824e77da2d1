using System.Buffers;
using PipeRL.Experiments.Runs.TensorBoard;

namespace PipeRL.Experiments.Tests.Runs.TensorBoard;

public sealed class EventProtoTests
{
    [Fact]
    public void FileVersionEventIsByteExact()
    {
        var output = new ArrayBufferWriter<byte>();
        EventProto.WriteFileVersion(output, 1.5);
        byte[] expected =
        [
            // Event.wall_time: field 1, wire type 1 (64-bit) -> key (1 << 3) | 1 = 0x09; 1.5 as an IEEE double is
            // 0x3FF8000000000000, written little-endian
            0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F,
            // Event.step is 0, proto3's default, so it is left out (as TensorFlow leaves it out of this event)
            // Event.file_version: field 3, wire type 2 (length-delimited) -> key (3 << 3) | 2 = 0x1A; length 13
            0x1A, 0x0D,
            // "brain.Event:2" in ASCII
            0x62, 0x72, 0x61, 0x69, 0x6E, 0x2E, 0x45, 0x76, 0x65, 0x6E, 0x74, 0x3A, 0x32,
        ];
        Assert.Equal(expected, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void ScalarEventIsByteExact()
    {
        var output = new ArrayBufferWriter<byte>();
        EventProto.WriteScalars(output, 2.0, 300, ["loss"], [0.5f]);
        byte[] expected =
        [
            // wall_time 2.0 = 0x4000000000000000, key 0x09
            0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40,
            // Event.step: field 2, wire type 0 (varint) -> key 0x10; 300 = 0b10_0101100: low 7 bits 0x2C with the
            // continuation bit (0xAC), then 300 >> 7 = 2
            0x10, 0xAC, 0x02,
            // Event.summary: field 5, length-delimited -> key 0x2A; the Summary below is 13 bytes
            0x2A, 0x0D,
            // Summary.value: field 1, length-delimited -> key 0x0A; the Value below is 11 bytes
            0x0A, 0x0B,
            // Value.tag: field 1, length-delimited -> key 0x0A, length 4, "loss"
            0x0A, 0x04, 0x6C, 0x6F, 0x73, 0x73,
            // Value.simple_value: field 2, wire type 5 (32-bit) -> key (2 << 3) | 5 = 0x15; 0.5f = 0x3F000000 little-endian
            0x15, 0x00, 0x00, 0x00, 0x3F,
        ];
        Assert.Equal(expected, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void ReadsBackWhatItWrites()
    {
        var output = new ArrayBufferWriter<byte>();
        EventProto.WriteScalars(output, 1_700_000_000.25, 1L << 40, ["a", "episode/return", "zero"], [-1.25f, 1e6f, 0f]);
        var e = EventProto.Read(output.WrittenSpan);
        Assert.Equal(1_700_000_000.25, e.WallTime);
        Assert.Equal(1L << 40, e.Step);
        Assert.Null(e.FileVersion);
        Assert.Equal([new("a", -1.25f), new("episode/return", 1e6f), new("zero", 0f)], e.Scalars);

        output.Clear();
        EventProto.WriteFileVersion(output, 3);
        Assert.Equal(EventProto.FileVersionText, EventProto.Read(output.WrittenSpan).FileVersion);
    }

    [Fact]
    public void SkipsFieldsItDoesNotKnow()
    {
        // Event.source_metadata-like unknown field 10 (length-delimited, 2 bytes), then step 7.
        byte[] payload = [0x52, 0x02, 0xFF, 0xFF, 0x10, 0x07];
        Assert.Equal(7, EventProto.Read(payload).Step);
        Assert.Throws<InvalidDataException>(() => EventProto.Read([0x10, 0x80]));
    }
}
