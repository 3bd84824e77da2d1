using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;
using PipeRL.Tensors.IO;

namespace PipeRL.Agents.Replay;

/// <summary>
/// Keeps a <see cref="SequenceReplayBuffer"/> in files beside a checkpoint, writing at each checkpoint only the rows
/// added since the one before: the ring (<c>NAME.replay</c>, one fixed-size record per slot at the slot's offset, so
/// it never grows past the capacity) and two journals (<c>NAME.replay.j0</c>, <c>.j1</c>) used in turn. A record is
/// the row's index, the row and an XxHash3 of both; the checkpoint records the rows written, the journal it refers to
/// with its rows, and the sum of the hashes of the rows it keeps.
/// </summary>
/// <remarks>
/// <para>Why a resume never reads rows its checkpoint does not describe, wherever a kill lands: once the ring is full,
/// each new row's slot holds a row the checkpoint in place still keeps, so a save never writes a new row there.
/// It writes (1) into the ring, the rows the checkpoint in place took from its journal (the very rows that
/// checkpoint keeps in those slots); (2) into slots never written, the new rows that reach them while the ring fills;
/// (3) into the journal the checkpoint in place does not refer to, the new rows that overwrite a slot; then it flushes
/// both files, and only then is the new checkpoint renamed into place. A kill before the rename leaves the old
/// checkpoint with every row it keeps in the ring or in its own journal, untouched or rewritten with the same bytes;
/// a kill after leaves the new one with the same.</para>
/// <para>Loading takes each kept row from its slot when the record there holds that row and its hash is right, else
/// from the journal, and refuses a missing, truncated or corrupt file, or rows whose hashes do not sum to the
/// checkpoint's. The contract this needs: the checkpoint a save fills is saved before the next save (a checkpoint
/// that fails to save ends the run). Saving allocates nothing but the buffer of one chunk of records, reused.</para>
/// </remarks>
internal sealed class ReplayFile
{
    private const int Version = 1;
    private const int HeaderBytes = 64;
    private const int ChunkBytes = 1 << 20;
    private const int StateLength = 9;
    private static readonly byte[] RingMagic = "PIPERLRR"u8.ToArray();
    private static readonly byte[] JournalMagic = "PIPERLRJ"u8.ToArray();

    private readonly SequenceReplayBuffer _buffer;
    private readonly int _recordBytes;
    private readonly byte[] _chunk;
    private readonly byte[] _record;
    private readonly byte[] _header = new byte[HeaderBytes];
    private ulong[]? _hashes;
    private bool _trusted;
    private long _saved;
    private int _journal = 1;
    private long _journalStart;
    private long _journalEnd;

    /// <summary>Keeps <paramref name="buffer"/> beside the checkpoint at <paramref name="checkpointPath"/>.</summary>
    public ReplayFile(SequenceReplayBuffer buffer, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointPath);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Replay files are written on little-endian machines.");
        }

        _buffer = buffer;
        RingPath = Path.ChangeExtension(Path.GetFullPath(checkpointPath), ".replay");
        _recordBytes = sizeof(long) + buffer.RowBytes + sizeof(ulong);
        _chunk = new byte[Math.Max(1, ChunkBytes / _recordBytes) * _recordBytes];
        _record = new byte[_recordBytes];
    }

    /// <summary>The ring of rows, a record per slot.</summary>
    public string RingPath { get; }

    /// <summary>
    /// Deletes the replay files kept beside the checkpoint at <paramref name="checkpointPath"/>, if any: a finished run
    /// resumes no more, and a full MinAtar replay takes about 1.8 GB.
    /// </summary>
    public static void DeleteBeside(string checkpointPath)
    {
        var ring = Path.ChangeExtension(Path.GetFullPath(checkpointPath), ".replay");
        foreach (var path in new[] { $"{ring}.j0", $"{ring}.j1", ring })
        {
            File.Delete(path);
        }
    }

    /// <summary>Journal <paramref name="index"/> (0 or 1): the rows of one save that overwrite slots the checkpoint before keeps.</summary>
    public string JournalPath(int index) => $"{RingPath}.j{index}";

    /// <summary>
    /// Writes the rows added since the last save or load to the files and flushes them to disk, then records in
    /// <paramref name="checkpoint"/> under <paramref name="key"/> what a load needs to trust them; save the checkpoint
    /// before the next call.
    /// </summary>
    public void Save(Checkpoint checkpoint, string key)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var (capacity, written) = (_buffer.Capacity, _buffer.RowsWritten);
        if (!_trusted)
        {
            // A ring left by a run trained again from its start is no checkpoint's: start it afresh.
            CreateRing();
            (_hashes, _saved, _journalStart, _journalEnd, _trusted) = (new ulong[capacity], 0, 0, 0, true);
        }

        // Rows below this are gone from the buffer, and no checkpoint from now on keeps them.
        var kept = Math.Max(0, written - capacity);
        var journal = 1 - _journal;
        var journalStart = Math.Min(Math.Max(Math.Max(_saved, kept), capacity), written);
        var journalEnd = Math.Max(journalStart, written);
        using (var ring = new FileStream(RingPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0))
        {
            WriteRows(ring.SafeFileHandle, Math.Max(_journalStart, kept), _journalEnd, toRing: true);
            WriteRows(ring.SafeFileHandle, Math.Max(_saved, kept), Math.Min(written, capacity), toRing: true);
            if (journalEnd > journalStart)
            {
                using var stream = new FileStream(JournalPath(journal), FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
                WriteHeader(JournalMagic, journalStart, journalEnd);
                RandomAccess.Write(stream.SafeFileHandle, _header, 0);
                WriteRows(stream.SafeFileHandle, journalStart, journalEnd, toRing: false);
                stream.Flush(flushToDisk: true);
            }

            ring.Flush(flushToDisk: true);
        }

        (_saved, _journal, _journalStart, _journalEnd) = (written, journal, journalStart, journalEnd);
        checkpoint.SetIntegers(key, [Version, written, capacity, _buffer.InputSize, _buffer.ActionSize, journal, journalStart, journalEnd, unchecked((long)HashSum(written))]);
    }

    /// <summary>
    /// Restores the rows <paramref name="checkpoint"/> keeps from the files, verifying each; throws an
    /// <see cref="InvalidDataException"/> naming the file and the way out when a file is missing, truncated, corrupt or
    /// not the checkpoint's.
    /// </summary>
    public void Load(Checkpoint checkpoint, string key)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var capacity = _buffer.Capacity;
        var state = checkpoint.GetIntegers(key);
        if (state.Length != StateLength || state[0] != Version || state[1] < 0 || state[5] is not (0 or 1)
            || state[6] > state[7] || state[7] - state[6] > capacity || state[7] > state[1])
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has a replay entry that cannot be right.");
        }

        if (state[2] != capacity || state[3] != _buffer.InputSize || state[4] != _buffer.ActionSize)
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} keeps a replay of {state[2]} rows of {state[3]}-float inputs and {state[4]}-float actions; this run's holds {capacity} rows of {_buffer.InputSize} and {_buffer.ActionSize}.");
        }

        var (written, journal, journalStart, journalEnd) = (state[1], (int)state[5], state[6], state[7]);
        var rows = (int)Math.Min(written, capacity);
        var hashes = _hashes ??= new ulong[capacity];
        _trusted = false;
        using var ring = Open(RingPath, RingMagic, HeaderBytes + ((long)capacity * _recordBytes), checkpoint, 0, 0);
        using var journalFile = journalEnd > journalStart
            ? Open(JournalPath(journal), JournalMagic, HeaderBytes + ((journalEnd - journalStart) * _recordBytes), checkpoint, journalStart, journalEnd)
            : null;
        var perChunk = _chunk.Length / _recordBytes;
        for (var first = 0; first < rows; first += perChunk)
        {
            var count = Math.Min(perChunk, rows - first);
            var chunk = _chunk.AsSpan(0, count * _recordBytes);
            ReadExactly(ring, chunk, HeaderBytes + ((long)first * _recordBytes), RingPath, checkpoint);
            for (var i = 0; i < count; i++)
            {
                var slot = first + i;
                var row = slot + (capacity * ((written - 1 - slot) / capacity));
                var record = chunk.Slice(i * _recordBytes, _recordBytes);
                if (Holds(record, row))
                {
                    Restore(slot, record);
                    continue;
                }

                if (journalFile is null || row < journalStart || row >= journalEnd)
                {
                    throw Refusal(RingPath, $"does not hold row {row:N0} in slot {slot:N0}, which the checkpoint keeps there (the file is corrupt, or not the one written with the checkpoint)", checkpoint);
                }

                // A record the ring has not got yet, or one torn by a kill while it was written: the journal holds it.
                var copy = _record.AsSpan();
                ReadExactly(journalFile, copy, HeaderBytes + ((row - journalStart) * _recordBytes), JournalPath(journal), checkpoint);
                if (!Holds(copy, row))
                {
                    throw Refusal(JournalPath(journal), $"does not hold row {row:N0} intact, which the checkpoint keeps (the file is corrupt, or not the one written with the checkpoint)", checkpoint);
                }

                Restore(slot, copy);
            }
        }

        if (HashSum(written) != unchecked((ulong)state[8]))
        {
            throw Refusal(RingPath, "holds intact rows that are not the checkpoint's (their hashes do not sum to the one it recorded: a replay of another run, or of another checkpoint)", checkpoint);
        }

        _buffer.RestoreRowsWritten(written);
        (_saved, _journal, _journalStart, _journalEnd, _trusted) = (written, journal, journalStart, journalEnd, true);

        void Restore(int slot, ReadOnlySpan<byte> record)
        {
            if (!_buffer.RestoreRow(slot, record.Slice(sizeof(long), _buffer.RowBytes)))
            {
                throw Refusal(RingPath, $"holds a row no row of this replay can be in slot {slot:N0} (flags no row has, or an input other than 0 and 1 in a binary replay)", checkpoint);
            }

            hashes[slot] = BinaryPrimitives.ReadUInt64LittleEndian(record[^sizeof(ulong)..]);
        }
    }

    /// <summary>Writes rows [<paramref name="from"/>, <paramref name="to"/>) as records, into their slots of the ring or one after another into a journal that starts at <paramref name="from"/>.</summary>
    private void WriteRows(SafeFileHandle file, long from, long to, bool toRing)
    {
        var capacity = _buffer.Capacity;
        var perChunk = _chunk.Length / _recordBytes;
        for (var row = from; row < to;)
        {
            // A chunk of consecutive records (in the ring, it stops where the ring wraps).
            var slot = _buffer.SlotOf(row);
            var count = (int)Math.Min(Math.Min(perChunk, to - row), toRing ? capacity - slot : int.MaxValue);
            for (var i = 0; i < count; i++)
            {
                var record = _chunk.AsSpan(i * _recordBytes, _recordBytes);
                var rowSlot = _buffer.SlotOf(row + i);
                BinaryPrimitives.WriteInt64LittleEndian(record, row + i);
                _buffer.CopyRow(rowSlot, record.Slice(sizeof(long), _buffer.RowBytes));
                var hash = XxHash3.HashToUInt64(record[..^sizeof(ulong)]);
                BinaryPrimitives.WriteUInt64LittleEndian(record[^sizeof(ulong)..], hash);
                _hashes![rowSlot] = hash;
            }

            var offset = HeaderBytes + ((toRing ? slot : row - from) * (long)_recordBytes);
            RandomAccess.Write(file, _chunk.AsSpan(0, count * _recordBytes), offset);
            row += count;
        }
    }

    private void CreateRing()
    {
        using var ring = new FileStream(RingPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        WriteHeader(RingMagic, 0, 0);
        RandomAccess.Write(ring.SafeFileHandle, _header, 0);
        ring.SetLength(HeaderBytes + ((long)_buffer.Capacity * _recordBytes));
    }

    /// <summary>Magic, version, record size, capacity, input and action sizes, and a journal's rows.</summary>
    private void WriteHeader(byte[] magic, long start, long end)
    {
        Array.Clear(_header);
        var h = _header.AsSpan();
        magic.CopyTo(h);
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(h[12..], _recordBytes);
        BinaryPrimitives.WriteInt64LittleEndian(h[16..], _buffer.Capacity);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], _buffer.InputSize);
        BinaryPrimitives.WriteInt32LittleEndian(h[28..], _buffer.ActionSize);
        BinaryPrimitives.WriteInt64LittleEndian(h[32..], start);
        BinaryPrimitives.WriteInt64LittleEndian(h[40..], end);
    }

    /// <summary>Opens a file and checks its length and header, refusing one that is missing, truncated or another replay's.</summary>
    private SafeFileHandle Open(string path, byte[] magic, long length, Checkpoint checkpoint, long start, long end)
    {
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            throw Refusal(path, "is missing", checkpoint);
        }

        var actual = RandomAccess.GetLength(file);
        if (actual != length)
        {
            file.Dispose();
            throw Refusal(path, $"has {actual:N0} bytes where {length:N0} belong (truncated, or not the one written with the checkpoint)", checkpoint);
        }

        var header = new byte[HeaderBytes];
        WriteHeader(magic, start, end);
        if (RandomAccess.Read(file, header, 0) != HeaderBytes || !header.AsSpan().SequenceEqual(_header))
        {
            file.Dispose();
            throw Refusal(path, "has a header that is not the one of this replay (corrupt, or another run's)", checkpoint);
        }

        return file;
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset, string path, Checkpoint checkpoint)
    {
        for (var done = 0; done < destination.Length;)
        {
            var read = RandomAccess.Read(file, destination[done..], offset + done);
            if (read == 0)
            {
                throw Refusal(path, "is truncated", checkpoint);
            }

            done += read;
        }
    }

    /// <summary>Whether <paramref name="record"/> is row <paramref name="row"/>, intact.</summary>
    private static bool Holds(ReadOnlySpan<byte> record, long row)
        => BinaryPrimitives.ReadInt64LittleEndian(record) == row
        && XxHash3.HashToUInt64(record[..^sizeof(ulong)]) == BinaryPrimitives.ReadUInt64LittleEndian(record[^sizeof(ulong)..]);

    /// <summary>The sum of the hashes of the rows kept after <paramref name="written"/> rows.</summary>
    private ulong HashSum(long written)
    {
        var sum = 0UL;
        foreach (var hash in _hashes.AsSpan(0, (int)Math.Min(written, _buffer.Capacity)))
        {
            sum = unchecked(sum + hash);
        }

        return sum;
    }

    private static InvalidDataException Refusal(string path, string problem, Checkpoint checkpoint)
        => new($"Replay file {path} {problem}; the run cannot resume from {checkpoint.SourcePath ?? "its checkpoint"} without it: put back the replay files saved with that checkpoint, or delete the checkpoint to train the run again from its start.");
}
