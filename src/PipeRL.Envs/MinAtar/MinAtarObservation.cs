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
            var board = planes[channel];
            while (board != UInt128.Zero)
            {
                var cell = (int)UInt128.TrailingZeroCount(board);
                destination[(cell * channels) + channel] = 1f;
                board &= board - UInt128.One;
            }
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
            while (board != UInt128.Zero)
            {
                var bit = ((int)UInt128.TrailingZeroCount(board) * channels) + channel;
                destination[bit >> 3] |= (byte)(0x80 >> (bit & 7));
                board &= board - UInt128.One;
            }
        }
    }
}
