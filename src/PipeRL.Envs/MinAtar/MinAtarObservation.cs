using System.Numerics;

namespace PipeRL.Envs.MinAtar;

/// <summary>
/// Converts a game's per-channel boards into the reference's observation layouts: float32 0/1 values indexed
/// <c>[row][col][channel]</c>, or numpy's <c>packbits</c> of that boolean array (most significant bit first).
/// </summary>
public static class MinAtarObservation
{
    /// <summary>Floats in one observation of a game with <paramref name="channels"/> channels.</summary>
    public static int FloatLength(int channels) => MinAtarBoard.Cells * channels;

    /// <summary>Bytes in the packed form of one observation of a game with <paramref name="channels"/> channels.</summary>
    public static int PackedLength(int channels) => ((MinAtarBoard.Cells * channels) + 7) / 8;

    /// <summary>Writes <paramref name="planes"/> as 0/1 floats in <c>[row][col][channel]</c> order into <paramref name="destination"/>.</summary>
    public static void WriteFloats(ReadOnlySpan<UInt128> planes, Span<float> destination)
    {
        var channels = planes.Length;
        if (destination.Length != FloatLength(channels))
        {
            throw new ArgumentException($"The observation buffer has {destination.Length} floats; this game needs 10*10*{channels} = {FloatLength(channels)}.", nameof(destination));
        }

        destination.Clear();
        for (var channel = 0; channel < channels; channel++)
        {
            // The two 64-bit halves are walked separately: ulong bit tricks are cheaper than UInt128's.
            var board = planes[channel];
            SetFloats((ulong)board, 0, channels, channel, destination);
            SetFloats((ulong)(board >> 64), 64, channels, channel, destination);
        }
    }

    /// <summary>Writes <paramref name="planes"/> as numpy's <c>packbits(state.reshape(-1))</c> into <paramref name="destination"/>.</summary>
    public static void WritePacked(ReadOnlySpan<UInt128> planes, Span<byte> destination)
    {
        var channels = planes.Length;
        if (destination.Length != PackedLength(channels))
        {
            throw new ArgumentException($"The packed buffer has {destination.Length} bytes; this game needs {PackedLength(channels)}.", nameof(destination));
        }

        destination.Clear();
        for (var channel = 0; channel < channels; channel++)
        {
            var board = planes[channel];
            SetBits((ulong)board, 0, channels, channel, destination);
            SetBits((ulong)(board >> 64), 64, channels, channel, destination);
        }
    }

    private static void SetFloats(ulong bits, int firstCell, int channels, int channel, Span<float> destination)
    {
        while (bits != 0)
        {
            var cell = firstCell + BitOperations.TrailingZeroCount(bits);
            destination[(cell * channels) + channel] = 1f;
            bits &= bits - 1;
        }
    }

    private static void SetBits(ulong bits, int firstCell, int channels, int channel, Span<byte> destination)
    {
        while (bits != 0)
        {
            var bit = ((firstCell + BitOperations.TrailingZeroCount(bits)) * channels) + channel;
            destination[bit >> 3] |= (byte)(0x80 >> (bit & 7));
            bits &= bits - 1;
        }
    }
}
