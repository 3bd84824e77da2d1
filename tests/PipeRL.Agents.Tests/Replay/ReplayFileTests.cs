using PipeRL.Agents.Replay;
using PipeRL.Tensors.IO;
using PipeRL.Tests;

namespace PipeRL.Agents.Tests.Replay;

public sealed class ReplayFileTests
{
    private const int Capacity = 40;
    private const string Key = "replay_file";

    private static SequenceReplayBuffer Buffer() => new(Capacity, 3, 2, 4, TruncationHandling.Terminal);

    /// <summary>Adds steps [<paramref name="from"/>, <paramref name="to"/>), each a function of its index (<paramref name="salt"/> apart): every 7th ends an episode, so some steps take two rows.</summary>
    private static void AddSteps(SequenceReplayBuffer buffer, int from, int to, int salt = 0)
    {
        for (var s = from; s < to; s++)
        {
            float v = s + (1000 * salt);
            buffer.Add([v, v + 0.25f, -v], [v * 0.5f, 1 - v], v / 3, terminated: s % 14 == 6, truncated: s % 14 == 13, [v, 7, 7]);
        }
    }

    /// <summary>The rows written, and every slot's bytes in hex.</summary>
    private static (long Written, string Rows) Snapshot(SequenceReplayBuffer buffer)
    {
        var rows = new byte[Capacity * buffer.RowBytes];
        for (var slot = 0; slot < Capacity; slot++)
        {
            buffer.CopyRow(slot, rows.AsSpan(slot * buffer.RowBytes, buffer.RowBytes));
        }

        return (buffer.RowsWritten, Convert.ToHexString(rows));
    }

    private static Checkpoint SaveCheckpoint(ReplayFile file, string path)
    {
        var checkpoint = new Checkpoint();
        file.Save(checkpoint, Key);
        checkpoint.Save(path);
        return checkpoint;
    }

    private static (long Written, string Rows) Load(string path)
    {
        var buffer = Buffer();
        new ReplayFile(buffer, path).Load(Checkpoint.Load(path), Key);
        return Snapshot(buffer);
    }

    [Fact]
    public void RowsRoundTripThroughCheckpointsThatWrapTheRingBitForBit()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "checkpoint.ckpt");
        var buffer = Buffer();
        var file = new ReplayFile(buffer, path);
        long? ringLength = null;

        // Saves while the ring fills, as it wraps, more than a ring apart (rows lost before they were saved) and after a resume.
        var step = 0;
        foreach (var (steps, resume) in new[] { (25, false), (10, false), (30, true), (55, false), (7, false), (41, true), (3, false) })
        {
            AddSteps(buffer, step, step + steps);
            step += steps;
            SaveCheckpoint(file, path);
            Assert.Equal(Snapshot(buffer), Load(path));
            ringLength ??= new FileInfo(file.RingPath).Length;
            Assert.Equal(ringLength, new FileInfo(file.RingPath).Length);
            if (resume)
            {
                // A fresh buffer loaded from the checkpoint carries on writing the files.
                buffer = Buffer();
                file = new ReplayFile(buffer, path);
                file.Load(Checkpoint.Load(path), Key);
            }
        }

        Assert.True(buffer.RowsWritten > 4 * Capacity);
        Assert.Equal(64 + (Capacity * (8 + buffer.RowBytes + 8)), ringLength);
        Assert.Equal(Snapshot(buffer), Load(path));
    }

    [Fact]
    public void AKillBetweenTheRowsAndTheCheckpointLeavesThePreviousCheckpointWhole()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "checkpoint.ckpt");
        var buffer = Buffer();
        var file = new ReplayFile(buffer, path);
        AddSteps(buffer, 0, 30);
        SaveCheckpoint(file, path);
        AddSteps(buffer, 30, 55);
        SaveCheckpoint(file, path);
        var previous = Snapshot(buffer);

        // The next save writes its rows and its journal, and the process dies before the checkpoint is replaced.
        AddSteps(buffer, 55, 80);
        file.Save(new Checkpoint(), Key);
        Assert.NotEqual(previous, Snapshot(buffer));
        Assert.Equal(previous, Load(path));

        // A record the dying save was rewriting into the ring, torn: the previous checkpoint's journal still holds it.
        var checkpoint = Checkpoint.Load(path);
        var state = checkpoint.GetIntegers(Key);
        var (written, journalStart, journalEnd) = (state[1], state[6], state[7]);
        Assert.True(journalEnd > journalStart, "the previous checkpoint took rows from its journal");
        var torn = journalEnd - 1;
        var recordBytes = 8 + buffer.RowBytes + 8;
        Corrupt(file.RingPath, 64 + ((torn % Capacity) * recordBytes) + 12);
        Assert.Equal(previous, Load(path));

        // A record the checkpoint takes from the ring alone, corrupt: refused.
        var ringOnly = written - Capacity;
        Assert.True(ringOnly < journalStart);
        Corrupt(file.RingPath, 64 + ((ringOnly % Capacity) * recordBytes) + 12);
        var ex = Assert.Throws<InvalidDataException>(() => Load(path));
        Assert.StartsWith($"Replay file {file.RingPath} does not hold row {ringOnly:N0} in slot {ringOnly % Capacity:N0}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABinaryReplayKeepsTheFloatFileLayoutSoEitherLoadsTheOthersFile()
    {
        // Inputs of 0 and 1 (MinAtar's): a byte each in memory, float32 in the file as before, so checkpoints of runs
        // started before the byte store resume into it, and the two stores write the same files.
        using var dir = new TempDirectory();
        var (floatPath, bytePath) = (Path.Combine(dir.Path, "float.ckpt"), Path.Combine(dir.Path, "byte.ckpt"));
        var (floats, bytes) = (Buffer(), new SequenceReplayBuffer(Capacity, 3, 2, 4, TruncationHandling.Terminal, binaryInputs: true));
        var (floatFile, byteFile) = (new ReplayFile(floats, floatPath), new ReplayFile(bytes, bytePath));
        foreach (var steps in new[] { 30, 25 })
        {
            for (var s = 0; s < steps; s++)
            {
                float[] input = [s & 1, (s >> 1) & 1, (s >> 2) & 1];
                floats.Add(input, [s, -s], s / 3f, terminated: s % 9 == 8, truncated: false, [1, 1, 0]);
                bytes.Add(input, [s, -s], s / 3f, terminated: s % 9 == 8, truncated: false, [1, 1, 0]);
            }

            SaveCheckpoint(floatFile, floatPath);
            SaveCheckpoint(byteFile, bytePath);
        }

        Assert.Equal(File.ReadAllBytes(floatFile.RingPath), File.ReadAllBytes(byteFile.RingPath));
        var fromFloats = new SequenceReplayBuffer(Capacity, 3, 2, 4, TruncationHandling.Terminal, binaryInputs: true);
        new ReplayFile(fromFloats, floatPath).Load(Checkpoint.Load(floatPath), Key);
        Assert.Equal(Snapshot(floats), Snapshot(fromFloats));

        // A float file holding an input a byte cannot keep is refused, not rounded.
        var other = Buffer();
        var otherFile = new ReplayFile(other, floatPath);
        AddSteps(other, 0, 10);
        SaveCheckpoint(otherFile, floatPath);
        var refused = new SequenceReplayBuffer(Capacity, 3, 2, 4, TruncationHandling.Terminal, binaryInputs: true);
        var ex = Assert.Throws<InvalidDataException>(() => new ReplayFile(refused, floatPath).Load(Checkpoint.Load(floatPath), Key));
        Assert.Contains("an input other than 0 and 1 in a binary replay", ex.Message, StringComparison.Ordinal);
    }

    public enum Damage
    {
        RingMissing,
        RingTruncated,
        RingCorrupt,
        JournalMissing,
        JournalCorrupt,
        AnotherRunsRing,
    }

    [Theory]
    [InlineData(Damage.RingMissing, false, "is missing")]
    [InlineData(Damage.RingTruncated, false, "bytes where")]
    [InlineData(Damage.RingCorrupt, false, "does not hold row 25 in slot 25")]
    [InlineData(Damage.JournalMissing, true, "is missing")]
    [InlineData(Damage.JournalCorrupt, true, "does not hold row 45 intact")]
    [InlineData(Damage.AnotherRunsRing, false, "hashes do not sum")]
    public void AMissingTruncatedOrCorruptReplayIsRefusedInOneLineNamingTheFile(Damage damage, bool inJournal, string problem)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "checkpoint.ckpt");
        var buffer = Buffer();
        var file = new ReplayFile(buffer, path);

        // Rows [20, 60) kept: slots 20 to 39 from the ring, 0 to 19 from the journal.
        AddSteps(buffer, 0, 30);
        SaveCheckpoint(file, path);
        AddSteps(buffer, 30, 53);
        Assert.Equal(60, buffer.RowsWritten);
        var journal = file.JournalPath((int)SaveCheckpoint(file, path).GetIntegers(Key)[5]);
        var recordBytes = 8 + buffer.RowBytes + 8;
        switch (damage)
        {
            case Damage.RingMissing:
                File.Delete(file.RingPath);
                break;
            case Damage.RingTruncated:
                using (var ring = File.OpenWrite(file.RingPath))
                {
                    ring.SetLength(ring.Length - 100);
                }

                break;
            case Damage.RingCorrupt:
                Corrupt(file.RingPath, 64 + (25 * recordBytes) + 20);
                break;
            case Damage.JournalMissing:
                File.Delete(journal);
                break;
            case Damage.JournalCorrupt:
                Corrupt(journal, 64 + (5 * recordBytes) + 20);
                break;
            case Damage.AnotherRunsRing:
                // Intact rows of the same indices and shape, from a run that saw other steps.
                using (var other = new TempDirectory())
                {
                    var otherPath = Path.Combine(other.Path, "checkpoint.ckpt");
                    var otherBuffer = Buffer();
                    var otherFile = new ReplayFile(otherBuffer, otherPath);
                    AddSteps(otherBuffer, 0, 30, salt: 1);
                    SaveCheckpoint(otherFile, otherPath);
                    AddSteps(otherBuffer, 30, 53, salt: 1);
                    SaveCheckpoint(otherFile, otherPath);
                    File.Copy(otherFile.RingPath, file.RingPath, overwrite: true);
                }

                break;
        }

        var ex = Assert.Throws<InvalidDataException>(() => Load(path));
        Assert.StartsWith($"Replay file {(inJournal ? journal : file.RingPath)} ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.EndsWith($"the run cannot resume from {path} without it: put back the replay files saved with that checkpoint, or delete the checkpoint to train the run again from its start.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void ACheckpointOfAnotherReplayShapeIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "checkpoint.ckpt");
        var buffer = Buffer();
        AddSteps(buffer, 0, 10);
        SaveCheckpoint(new ReplayFile(buffer, path), path);
        var other = new SequenceReplayBuffer(Capacity + 1, 3, 2, 4, TruncationHandling.Terminal);
        var ex = Assert.Throws<InvalidDataException>(() => new ReplayFile(other, path).Load(Checkpoint.Load(path), Key));
        Assert.Contains("keeps a replay of 40 rows of 3-float inputs and 2-float actions; this run's holds 41 rows", ex.Message, StringComparison.Ordinal);
    }

    private static void Corrupt(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x5A));
    }
}
