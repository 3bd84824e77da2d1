using System.Buffers.Binary;
using System.Numerics;

namespace PipeRL.Experiments.Runs.TensorBoard;

/// <summary>
/// TensorFlow's record framing, as TensorBoard reads event files: a little-endian uint64 payload length, the
/// masked CRC-32C of those 8 bytes, the payload, and the masked CRC-32C of the payload.
/// </summary>
public static class TfRecord
{
    /// <summary>Bytes a record adds around its payload: 8 (length) + 4 (its CRC) + 4 (the payload's CRC).</summary>
    public const int Overhead = 16;

    private const uint MaskDelta = 0xA282EAD8;

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial and final value inverted) of <paramref name="data"/>.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>The CRC as TensorFlow stores it: rotated right by 15 bits plus 0xA282EAD8 (so CRCs of CRCs stay informative).</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);
    }

    /// <summary>Writes <paramref name="payload"/> to <paramref name="stream"/> as one record.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C(payload));
        stream.Write(header);
        stream.Write(payload);
        stream.Write(footer);
    }

    /// <summary>
    /// Reads the next record's payload from <paramref name="stream"/>; null at the end of the stream or at a record cut
    /// short (a writer killed mid-record). A record whose CRCs do not match is an <see cref="InvalidDataException"/>.
    /// </summary>
    public static byte[]? Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            return null;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != MaskedCrc32C(header[..8]))
        {
            throw new InvalidDataException($"Event record at byte {stream.Position - header.Length}: the length's CRC does not match.");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
        if (length > (ulong)(stream.Length - stream.Position))
        {
            return null;
        }

        var payload = new byte[length];
        Span<byte> footer = stackalloc byte[4];
        if (stream.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false) < payload.Length
            || stream.ReadAtLeast(footer, footer.Length, throwOnEndOfStream: false) < footer.Length)
        {
            return null;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(footer) == MaskedCrc32C(payload)
            ? payload
            : throw new InvalidDataException($"Event record ending at byte {stream.Position}: the payload's CRC does not match.");
    }
}
