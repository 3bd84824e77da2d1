using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using PipeRL.Tensors.Optim;

namespace PipeRL.Tensors.IO;

/// <summary>
/// Named float32 tensors, int64 arrays and byte blobs in PipeRL's versioned, checksummed binary format (parameters,
/// optimizer state, counters, the serialised state of envs and actors). Saving writes a temporary file and renames it, so a crash never leaves a half-written checkpoint;
/// loading refuses a corrupt, truncated or foreign file with an <see cref="InvalidDataException"/> naming the file.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian): magic <c>PIPERLCK</c>, uint32 version (2), uint32 entry count; per entry: uint16 name
/// length, UTF-8 name, byte kind (0 float32, 1 int64, 2 bytes), byte rank, int32 dims, then the values; finally the
/// CRC-32 of every preceding byte. Entries are written in ordinal name order, so equal contents give equal files.
/// Version 1 (no byte entries) is still read.</para>
/// <code>
/// var ck = new Checkpoint();
/// ck.AddParameters(model.Parameters);
/// ck.AddOptimizer(adam);
/// ck.Save("run/checkpoint.bin");
/// var loaded = Checkpoint.Load("run/checkpoint.bin");
/// loaded.RestoreParameters(model.Parameters);
/// loaded.RestoreOptimizer(adam);
/// </code>
/// </remarks>
public sealed class Checkpoint
{
    /// <summary>The format version this code writes (it reads this one and version 1, which had no byte entries).</summary>
    public const uint FormatVersion = 2;

    private const int HeaderLength = 16;
    private static readonly byte[] Magic = "PIPERLCK"u8.ToArray();

    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _integers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _bytes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shared = new(StringComparer.Ordinal);

    /// <summary>The file this checkpoint was loaded from, or null for a new one (used in error messages).</summary>
    public string? SourcePath { get; private set; }

    /// <summary>The float tensors by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>The int64 arrays by name (step counters, random-source states).</summary>
    public IReadOnlyDictionary<string, long[]> Integers => _integers;

    /// <summary>The byte blobs by name (serialised env and actor state).</summary>
    public IReadOnlyDictionary<string, byte[]> Bytes => _bytes;

    /// <summary>
    /// Adds (a copy of) <paramref name="tensor"/> under <paramref name="name"/>; a stored entry of the same shape is
    /// overwritten in place, so a checkpoint reused for every save of a run allocates its copies once.
    /// </summary>
    public void SetTensor(string name, Tensor tensor)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(tensor);
        _integers.Remove(name);
        _bytes.Remove(name);
        if (_tensors.TryGetValue(name, out var stored) && stored.Shape == tensor.Shape && !_shared.Contains(name))
        {
            stored.CopyFrom(tensor.Span);
            return;
        }

        _shared.Remove(name);
        _tensors[name] = tensor.Clone();
    }

    /// <summary>
    /// Adds <paramref name="tensor"/> itself, not a copy, under <paramref name="name"/>: for large state saved as it is
    /// (a replay buffer), which must then not change until <see cref="Save"/>. A later entry of the name replaces it.
    /// </summary>
    public void Share(string name, Tensor tensor)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(tensor);
        _integers.Remove(name);
        _bytes.Remove(name);
        _shared.Add(name);
        _tensors[name] = tensor;
    }

    /// <summary>Removes the entry called <paramref name="name"/>; returns whether there was one.</summary>
    public bool Remove(string name)
    {
        _shared.Remove(name);
        return _tensors.Remove(name) | _integers.Remove(name) | _bytes.Remove(name);
    }

    /// <summary>Adds (a copy of) <paramref name="values"/> under <paramref name="name"/>.</summary>
    public void SetIntegers(string name, ReadOnlySpan<long> values)
    {
        CheckName(name);
        _tensors.Remove(name);
        _bytes.Remove(name);
        _shared.Remove(name);
        _integers[name] = values.ToArray();
    }

    /// <summary>
    /// Adds (a copy of) <paramref name="values"/> under <paramref name="name"/>; a stored blob of the same length is
    /// overwritten in place, as tensors are.
    /// </summary>
    public void SetBytes(string name, ReadOnlySpan<byte> values)
    {
        CheckName(name);
        _tensors.Remove(name);
        _integers.Remove(name);
        _shared.Remove(name);
        if (_bytes.TryGetValue(name, out var stored) && stored.Length == values.Length)
        {
            values.CopyTo(stored);
            return;
        }

        _bytes[name] = values.ToArray();
    }

    /// <summary>The tensor called <paramref name="name"/>; a missing one is reported with the file's name.</summary>
    public Tensor GetTensor(string name)
        => _tensors.TryGetValue(name, out var t) ? t : throw Invalid($"has no tensor '{name}'");

    /// <summary>The int64 array called <paramref name="name"/>; a missing one is reported with the file's name.</summary>
    public long[] GetIntegers(string name)
        => _integers.TryGetValue(name, out var v) ? v : throw Invalid($"has no integer entry '{name}'");

    /// <summary>The byte blob called <paramref name="name"/>; a missing one is reported with the file's name.</summary>
    public byte[] GetBytes(string name)
        => _bytes.TryGetValue(name, out var v) ? v : throw Invalid($"has no byte entry '{name}'");

    /// <summary>Stores every parameter's value under its name (with <paramref name="prefix"/>).</summary>
    public void AddParameters(IEnumerable<Parameter> parameters, string prefix = "")
    {
        foreach (var p in parameters)
        {
            SetTensor(prefix + p.Name, p.Value);
        }
    }

    /// <summary>Copies stored values into <paramref name="parameters"/> by name; a missing name or another shape is refused.</summary>
    public void RestoreParameters(IEnumerable<Parameter> parameters, string prefix = "")
    {
        foreach (var p in parameters)
        {
            CopyInto(prefix + p.Name, p.Value);
            p.MarkChanged();
        }
    }

    /// <summary>Stores Adam's step count and moments (under <paramref name="prefix"/>.step / .m.NAME / .v.NAME).</summary>
    public void AddOptimizer(Adam adam, string prefix = "adam")
    {
        ArgumentNullException.ThrowIfNull(adam);
        SetIntegers($"{prefix}.step", [adam.StepCount]);
        for (int i = 0; i < adam.Parameters.Count; i++)
        {
            SetTensor($"{prefix}.m.{adam.Parameters[i].Name}", adam.FirstMoment(i));
            SetTensor($"{prefix}.v.{adam.Parameters[i].Name}", adam.SecondMoment(i));
        }
    }

    /// <summary>Restores what <see cref="AddOptimizer"/> stored.</summary>
    public void RestoreOptimizer(Adam adam, string prefix = "adam")
    {
        ArgumentNullException.ThrowIfNull(adam);
        var step = GetIntegers($"{prefix}.step");
        if (step.Length != 1 || step[0] < 0)
        {
            throw Invalid($"has an invalid '{prefix}.step' entry");
        }

        for (int i = 0; i < adam.Parameters.Count; i++)
        {
            CopyInto($"{prefix}.m.{adam.Parameters[i].Name}", adam.FirstMoment(i));
            CopyInto($"{prefix}.v.{adam.Parameters[i].Name}", adam.SecondMoment(i));
        }

        adam.RestoreStepCount(step[0]);
    }

    /// <summary>
    /// Writes the checkpoint to <paramref name="path"/> atomically (temporary file, flush, rename), streaming the entries
    /// into the file with the checksum computed on the way, so saving allocates no copy of the whole checkpoint.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        string temp = $"{full}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                Serialize(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Reads a checkpoint, verifying magic, version, checksum and structure.</summary>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        }

        var checkpoint = new Checkpoint { SourcePath = path };
        checkpoint.Parse(File.ReadAllBytes(path));
        return checkpoint;
    }

    private void Serialize(Stream stream)
    {
        var w = new ChecksummedWriter(stream);
        w.Write(Magic);
        w.WriteUInt32(FormatVersion);
        w.WriteUInt32((uint)(_tensors.Count + _integers.Count + _bytes.Count));
        foreach (var name in _tensors.Keys.Concat(_integers.Keys).Concat(_bytes.Keys).Order(StringComparer.Ordinal))
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            w.WriteUInt16((ushort)nameBytes.Length);
            w.Write(nameBytes);
            if (_tensors.TryGetValue(name, out var t))
            {
                w.Write([0, (byte)t.Shape.Rank]);
                for (int d = 0; d < t.Shape.Rank; d++)
                {
                    w.WriteUInt32((uint)t.Shape[d]);
                }

                w.WriteFloats(t.Span);
            }
            else if (_bytes.TryGetValue(name, out var blob))
            {
                w.Write([2, 1]);
                w.WriteUInt32((uint)blob.Length);
                w.Write(blob);
            }
            else
            {
                var values = _integers[name];
                w.Write([1, 1]);
                w.WriteUInt32((uint)values.Length);
                foreach (long v in values)
                {
                    w.WriteInt64(v);
                }
            }
        }

        w.WriteChecksum();
    }

    private static void ReadFloats(ReadOnlySpan<byte> payload, Span<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(payload).CopyTo(values);
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(payload[(i * 4)..]);
        }
    }

    private void Parse(byte[] bytes)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Invalid("is not a PipeRL checkpoint (its first bytes are not 'PIPERLCK')");
        }

        if (bytes.Length < HeaderLength + 4)
        {
            throw Invalid($"is truncated: {bytes.Length} bytes, shorter than the header and checksum");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version is < 1 or > FormatVersion)
        {
            throw Invalid($"has format version {version}; this PipeRL reads versions 1 to {FormatVersion}");
        }

        var body = bytes.AsSpan(0, bytes.Length - 4);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        uint computed = Crc32.HashToUInt32(body);
        if (stored != computed)
        {
            throw Invalid($"is corrupt or truncated: CRC-32 mismatch (stored 0x{stored:X8}, computed 0x{computed:X8})");
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        int pos = HeaderLength;
        Span<int> dimBuffer = stackalloc int[4];
        for (uint e = 0; e < count; e++)
        {
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(Take(body, ref pos, 2));
            string name = Encoding.UTF8.GetString(Take(body, ref pos, nameLength));
            byte kind = Take(body, ref pos, 1)[0];
            int rank = Take(body, ref pos, 1)[0];
            if (kind > (version == 1 ? 1 : 2) || rank < 1 || rank > 4 || (kind >= 1 && rank != 1))
            {
                throw Invalid($"has a malformed entry '{name}' (kind {kind}, rank {rank})");
            }

            var dims = dimBuffer[..rank];
            long length = 1;
            for (int d = 0; d < rank; d++)
            {
                dims[d] = BinaryPrimitives.ReadInt32LittleEndian(Take(body, ref pos, 4));
                if (dims[d] < 0)
                {
                    throw Invalid($"has a negative dimension in entry '{name}'");
                }

                length *= dims[d];
            }

            int elementSize = kind switch { 0 => 4, 1 => 8, _ => 1 };
            if (length * elementSize > body.Length - pos)
            {
                throw Invalid($"is truncated inside entry '{name}'");
            }

            var payload = Take(body, ref pos, (int)length * elementSize);
            if (kind == 0)
            {
                var t = Tensor.Zeros(Shape.Of(dims));
                ReadFloats(payload, t.Span);

                _tensors[name] = t;
            }
            else if (kind == 2)
            {
                _bytes[name] = payload.ToArray();
            }
            else
            {
                var values = new long[length];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadInt64LittleEndian(payload[(i * 8)..]);
                }

                _integers[name] = values;
            }
        }

        if (pos != body.Length)
        {
            throw Invalid($"has {body.Length - pos} unexpected bytes after its last entry");
        }
    }

    private ReadOnlySpan<byte> Take(ReadOnlySpan<byte> body, ref int pos, int count)
    {
        if (count < 0 || count > body.Length - pos)
        {
            throw Invalid("is truncated");
        }

        var slice = body.Slice(pos, count);
        pos += count;
        return slice;
    }

    private void CopyInto(string name, Tensor destination)
    {
        var source = GetTensor(name);
        if (source.Shape != destination.Shape)
        {
            throw Invalid($"stores '{name}' with shape {source.Shape}, but the model expects {destination.Shape}");
        }

        source.Span.CopyTo(destination.Span);
    }

    private InvalidDataException Invalid(string problem)
        => new($"Checkpoint '{SourcePath ?? "(unsaved)"}' {problem}.");

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Encoding.UTF8.GetByteCount(name) > ushort.MaxValue)
        {
            throw new ArgumentException("Checkpoint entry names are limited to 65535 UTF-8 bytes.", nameof(name));
        }
    }

    /// <summary>Writes little-endian values to a stream and keeps the CRC-32 of everything written.</summary>
    private sealed class ChecksummedWriter(Stream stream)
    {
        private readonly Crc32 _crc = new();
        private readonly byte[] _scalar = new byte[8];

        public void Write(ReadOnlySpan<byte> bytes)
        {
            _crc.Append(bytes);
            stream.Write(bytes);
        }

        public void WriteUInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_scalar, value);
            Write(_scalar.AsSpan(0, 2));
        }

        public void WriteUInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_scalar, value);
            Write(_scalar.AsSpan(0, 4));
        }

        public void WriteInt64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_scalar, value);
            Write(_scalar);
        }

        /// <summary>Float32 values, in one block where the machine is little-endian.</summary>
        public void WriteFloats(ReadOnlySpan<float> values)
        {
            if (BitConverter.IsLittleEndian)
            {
                Write(MemoryMarshal.AsBytes(values));
                return;
            }

            foreach (float v in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(_scalar, v);
                Write(_scalar.AsSpan(0, 4));
            }
        }

        /// <summary>The CRC-32 of every byte written so far, itself not part of the checksum.</summary>
        public void WriteChecksum()
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_scalar, _crc.GetCurrentHashAsUInt32());
            stream.Write(_scalar.AsSpan(0, 4));
        }
    }
}
