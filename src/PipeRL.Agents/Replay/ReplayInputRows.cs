using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PipeRL.Agents.Replay;

/// <summary>
/// The actor inputs of a replay, one row per slot: float32, or one byte per value when every input is 0 or 1
/// (MinAtar's boolean channels with a one-hot action history), a quarter of the memory. Rows read back as float32
/// either way, the values that were written.
/// </summary>
internal sealed class ReplayInputRows
{
    private readonly float[]? _floats;
    private readonly byte[]? _bytes;

    /// <summary>Room for <paramref name="capacity"/> rows of <paramref name="width"/> values, as bytes when <paramref name="binary"/>.</summary>
    public ReplayInputRows(int capacity, int width, bool binary)
    {
        Width = width;
        var length = (long)capacity * width;
        if (binary)
        {
            _bytes = new byte[length];
        }
        else
        {
            _floats = new float[length];
        }
    }

    /// <summary>Values per row.</summary>
    public int Width { get; }

    /// <summary>Whether the rows hold bytes.</summary>
    public bool Binary => _bytes is not null;

    /// <summary>Bytes held.</summary>
    public long Bytes => _bytes?.LongLength ?? (sizeof(float) * _floats!.LongLength);

    /// <summary>Throws when a binary store cannot hold <paramref name="values"/> (a value other than 0 or 1), before anything is written.</summary>
    public void RequireStorable(ReadOnlySpan<float> values)
    {
        if (_bytes is null)
        {
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] != 0f && values[i] != 1f)
            {
                throw new ArgumentException($"A binary replay stores inputs of 0 and 1 only; value {i} of this one is {values[i]}: its env's observation space is declared binary but is not.", nameof(values));
            }
        }
    }

    /// <summary>Stores <paramref name="values"/> (<see cref="Width"/> of them, checked with <see cref="RequireStorable"/>) in <paramref name="slot"/>.</summary>
    public void Write(int slot, ReadOnlySpan<float> values)
    {
        if (_floats is not null)
        {
            values.CopyTo(_floats.AsSpan(slot * Width, Width));
            return;
        }

        var row = _bytes.AsSpan(slot * Width, Width);
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = values[i] == 1f ? (byte)1 : (byte)0;
        }
    }

    /// <summary>Reads <paramref name="destination"/>.Length values of row <paramref name="slot"/> from value <paramref name="start"/> on.</summary>
    public void Read(int slot, int start, Span<float> destination)
    {
        var offset = (slot * Width) + start;
        if (_floats is not null)
        {
            _floats.AsSpan(offset, destination.Length).CopyTo(destination);
            return;
        }

        var row = _bytes.AsSpan(offset, destination.Length);
        for (var i = 0; i < row.Length; i++)
        {
            destination[i] = row[i];
        }
    }

    /// <summary>Writes row <paramref name="slot"/> to <paramref name="destination"/> as little-endian float32 (the replay file's layout, whatever the store).</summary>
    public void CopyRow(int slot, Span<byte> destination)
    {
        if (_floats is not null)
        {
            MemoryMarshal.AsBytes(_floats.AsSpan(slot * Width, Width)).CopyTo(destination);
            return;
        }

        var row = _bytes.AsSpan(slot * Width, Width);
        for (var i = 0; i < row.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * sizeof(float))..], row[i]);
        }
    }

    /// <summary>Puts back into <paramref name="slot"/> a row <see cref="CopyRow"/> wrote; false (nothing stored) when a binary store reads a value other than 0 or 1.</summary>
    public bool RestoreRow(int slot, ReadOnlySpan<byte> source)
    {
        if (_floats is not null)
        {
            source[..(Width * sizeof(float))].CopyTo(MemoryMarshal.AsBytes(_floats.AsSpan(slot * Width, Width)));
            return true;
        }

        for (var i = 0; i < Width; i++)
        {
            var value = BinaryPrimitives.ReadSingleLittleEndian(source[(i * sizeof(float))..]);
            if (value != 0f && value != 1f)
            {
                return false;
            }
        }

        var row = _bytes.AsSpan(slot * Width, Width);
        for (var i = 0; i < Width; i++)
        {
            row[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * sizeof(float))..]) == 1f ? (byte)1 : (byte)0;
        }

        return true;
    }

    /// <summary>Zeroes the rows from slot <paramref name="slot"/> on.</summary>
    public void ClearFrom(int slot)
    {
        if (_floats is not null)
        {
            Array.Clear(_floats, slot * Width, _floats.Length - (slot * Width));
        }
        else
        {
            Array.Clear(_bytes!, slot * Width, _bytes!.Length - (slot * Width));
        }
    }
}
