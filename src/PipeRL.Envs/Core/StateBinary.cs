namespace PipeRL.Envs;

/// <summary>
/// The parts of a saved state (see <see cref="IStatefulEnv"/>): a header naming what the state belongs to and its
/// version, and length-prefixed arrays whose length is checked when read back into a buffer of the expected size.
/// </summary>
public static class StateBinary
{
    /// <summary>Writes the header of the state of <paramref name="kind"/> (an env id or a component's name) at <paramref name="version"/>.</summary>
    public static void WriteHeader(this BinaryWriter writer, string kind, int version)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(kind);
        writer.Write(version);
    }

    /// <summary>Reads a header and refuses, with an <see cref="InvalidDataException"/>, one of another kind or version.</summary>
    public static void ReadHeader(this BinaryReader reader, string kind, int version)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var foundKind = reader.ReadString();
        var foundVersion = reader.ReadInt32();
        if (foundKind != kind || foundVersion != version)
        {
            throw new InvalidDataException($"the saved state is of '{foundKind}' (version {foundVersion}), not of '{kind}' (version {version})");
        }
    }

    /// <summary>Writes a count that <see cref="ReadCount"/> checks.</summary>
    public static void WriteCount(this BinaryWriter writer, int count, string what)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(count, what);
        writer.Write(count);
    }

    /// <summary>Reads a count and refuses one other than <paramref name="expected"/> (the size this copy was built with).</summary>
    public static void ReadCount(this BinaryReader reader, int expected, string what)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var count = reader.ReadInt32();
        if (count != expected)
        {
            throw new InvalidDataException($"the saved state has {count} {what}, this one {expected}");
        }
    }

    /// <summary>Writes <paramref name="values"/> with their count.</summary>
    public static void WriteArray(this BinaryWriter writer, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    /// <summary>Reads values written by <see cref="WriteArray(BinaryWriter, ReadOnlySpan{float})"/> into <paramref name="destination"/>, which they must fill.</summary>
    public static void ReadArray(this BinaryReader reader, Span<float> destination)
    {
        ReadLength(reader, destination.Length);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = reader.ReadSingle();
        }
    }

    /// <summary>Writes <paramref name="values"/> with their count.</summary>
    public static void WriteArray(this BinaryWriter writer, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    /// <summary>Reads values written by <see cref="WriteArray(BinaryWriter, ReadOnlySpan{double})"/> into <paramref name="destination"/>, which they must fill.</summary>
    public static void ReadArray(this BinaryReader reader, Span<double> destination)
    {
        ReadLength(reader, destination.Length);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = reader.ReadDouble();
        }
    }

    /// <summary>Writes <paramref name="values"/> with their count.</summary>
    public static void WriteArray(this BinaryWriter writer, ReadOnlySpan<int> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    /// <summary>Reads values written by <see cref="WriteArray(BinaryWriter, ReadOnlySpan{int})"/> into <paramref name="destination"/>, which they must fill.</summary>
    public static void ReadArray(this BinaryReader reader, Span<int> destination)
    {
        ReadLength(reader, destination.Length);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = reader.ReadInt32();
        }
    }

    /// <summary>Writes <paramref name="values"/> with their count.</summary>
    public static void WriteArray(this BinaryWriter writer, ReadOnlySpan<uint> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    /// <summary>Reads values written by <see cref="WriteArray(BinaryWriter, ReadOnlySpan{uint})"/> into <paramref name="destination"/>, which they must fill.</summary>
    public static void ReadArray(this BinaryReader reader, Span<uint> destination)
    {
        ReadLength(reader, destination.Length);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = reader.ReadUInt32();
        }
    }

    /// <summary>Writes <paramref name="values"/> with their count.</summary>
    public static void WriteArray(this BinaryWriter writer, ReadOnlySpan<long> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    /// <summary>Reads values written by <see cref="WriteArray(BinaryWriter, ReadOnlySpan{long})"/> into <paramref name="destination"/>, which they must fill.</summary>
    public static void ReadArray(this BinaryReader reader, Span<long> destination)
    {
        ReadLength(reader, destination.Length);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = reader.ReadInt64();
        }
    }

    /// <summary>Writes <paramref name="values"/> with their count.</summary>
    public static void WriteArray(this BinaryWriter writer, ReadOnlySpan<bool> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    /// <summary>Reads values written by <see cref="WriteArray(BinaryWriter, ReadOnlySpan{bool})"/> into <paramref name="destination"/>, which they must fill.</summary>
    public static void ReadArray(this BinaryReader reader, Span<bool> destination)
    {
        ReadLength(reader, destination.Length);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = reader.ReadBoolean();
        }
    }

    /// <summary>Writes a 128-bit value (low word first).</summary>
    public static void Write128(this BinaryWriter writer, UInt128 value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write((ulong)value);
        writer.Write((ulong)(value >> 64));
    }

    /// <summary>Reads a value written by <see cref="Write128"/>.</summary>
    public static UInt128 Read128(this BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var low = reader.ReadUInt64();
        return new UInt128(reader.ReadUInt64(), low);
    }

    /// <summary>Reads an int and refuses one outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int ReadInt32(this BinaryReader reader, int min, int max, string what)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var value = reader.ReadInt32();
        if (value < min || value > max)
        {
            throw new InvalidDataException($"the saved state has {what} {value}, outside {min}..{max}");
        }

        return value;
    }

    private static void ReadLength(BinaryReader reader, int expected)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var length = reader.ReadInt32();
        if (length != expected)
        {
            throw new InvalidDataException($"the saved state holds an array of {length} values where {expected} were expected");
        }
    }
}
