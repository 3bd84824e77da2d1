using PipeRL.Experiments.Runs.TensorBoard;

namespace PipeRL.Experiments.Tests.Runs.TensorBoard;

public sealed class TfRecordTests
{
    // RFC 3720 (iSCSI), appendix B.4, gives these CRC-32C results for 32-byte messages, and the CRC catalogue's check
    // value of CRC-32C over the ASCII digits "123456789" is 0xE3069283.
    [Theory]
    [InlineData("zeros", 0x8A9136AAu)]
    [InlineData("ones", 0x62A8AB43u)]
    [InlineData("incrementing", 0x46DD794Eu)]
    [InlineData("decrementing", 0x113FDB5Cu)]
    [InlineData("123456789", 0xE3069283u)]
    public void Crc32CMatchesThePublishedVectors(string message, uint expected)
    {
        var data = message switch
        {
            "zeros" => new byte[32],
            "ones" => Enumerable.Repeat((byte)0xFF, 32).ToArray(),
            "incrementing" => Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            "decrementing" => Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(),
            _ => "123456789"u8.ToArray(),
        };
        Assert.Equal(expected, TfRecord.Crc32C(data));
    }

    [Fact]
    public void Crc32CAgreesWithTheBitwiseDefinitionAtEveryLength()
    {
        var data = Enumerable.Range(0, 100).Select(i => (byte)(i * 37 + 11)).ToArray();
        for (var n = 0; n <= data.Length; n++)
        {
            Assert.Equal(BitwiseCrc32C(data.AsSpan(0, n)), TfRecord.Crc32C(data.AsSpan(0, n)));
        }
    }

    [Fact]
    public void MaskRotatesRightBy15AndAddsTheDelta()
    {
        // CRC 0xE3069283 ("123456789"): >> 15 = 0x0001C60D; its low 15 bits 0x1283 << 17 = 0x25060000; together
        // 0x2507C60D; + 0xA282EAD8 = 0xC78AB0E5 (mod 2^32).
        Assert.Equal(0xC78AB0E5u, TfRecord.MaskedCrc32C("123456789"u8));
    }

    [Fact]
    public void FramesAPayloadByteExactly()
    {
        using var stream = new MemoryStream();
        TfRecord.Write(stream, "123456789"u8);
        byte[] expected =
        [
            // uint64 length 9, little-endian
            0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            // masked CRC-32C of those 8 bytes: CRC 0x872FCB77 (bitwise definition, reflected polynomial 0x82F63B78,
            // as in BitwiseCrc32C below), rotated right 15 = 0x96EF0E5F, + 0xA282EAD8 = 0x3971F937, little-endian
            0x37, 0xF9, 0x71, 0x39,
            // the payload
            0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
            // masked CRC-32C of the payload: 0xC78AB0E5 (see MaskRotatesRightBy15AndAddsTheDelta), little-endian
            0xE5, 0xB0, 0x8A, 0xC7,
        ];
        Assert.Equal(expected, stream.ToArray());
        Assert.Equal(9 + TfRecord.Overhead, expected.Length);
        Assert.Equal(0x872FCB77u, BitwiseCrc32C(expected.AsSpan(0, 8)));
    }

    [Fact]
    public void ReadsBackAndStopsAtARecordCutShort()
    {
        using var stream = new MemoryStream();
        TfRecord.Write(stream, "first"u8);
        TfRecord.Write(stream, "second"u8);
        var whole = stream.ToArray();
        foreach (var cut in new[] { whole.Length, whole.Length - 1, whole.Length - 5, 21 + 3 })
        {
            using var reader = new MemoryStream(whole[..cut]);
            Assert.Equal("first"u8.ToArray(), TfRecord.Read(reader));
            var second = TfRecord.Read(reader);
            Assert.Equal(cut == whole.Length ? "second"u8.ToArray() : null, second);
            Assert.Null(TfRecord.Read(reader));
        }
    }

    [Fact]
    public void RefusesADamagedRecord()
    {
        using var stream = new MemoryStream();
        TfRecord.Write(stream, "payload"u8);
        var bytes = stream.ToArray();
        bytes[13] ^= 1;
        Assert.Throws<InvalidDataException>(() => TfRecord.Read(new MemoryStream(bytes)));
        bytes[13] ^= 1;
        bytes[2] ^= 1;
        Assert.Throws<InvalidDataException>(() => TfRecord.Read(new MemoryStream(bytes)));
    }

    // The definition: a 32-bit register starting at all ones, each bit shifted out against the reflected polynomial.
    private static uint BitwiseCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
