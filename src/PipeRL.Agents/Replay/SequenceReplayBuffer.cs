using System.Buffers.Binary;
using System.Runtime.InteropServices;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;

namespace PipeRL.Agents.Replay;

/// <summary>
/// A replay buffer of one env's transitions that stores each actor input once and samples windows of consecutive
/// ticks, so a pipelined actor can be replayed from a zero state over its receptive window (the authors' sequence
/// replay). A ring of rows: each step writes its input, action, reward and end flags; an episode end also writes one
/// row holding the input of the observation the episode ended in, which is what the transition's next input is. A
/// window never holds an episode end before its last tick (with <see cref="TruncationHandling.Terminal"/>, the
/// authors' handling, it may cross a time-limit cut, never a termination).
/// </summary>
public sealed class SequenceReplayBuffer
{
    private const byte TerminatedFlag = 1;
    private const byte TruncatedFlag = 2;
    private const byte FinalFlag = 4;
    private const int AttemptsPerWindow = 64;

    private readonly ReplayInputRows _inputs;
    private readonly float[] _actions;
    private readonly float[] _rewards;
    private readonly byte[] _flags;
    private readonly bool _crossTruncations;
    private long _written;

    /// <summary>
    /// Keeps the last <paramref name="capacity"/> rows; samples windows of <paramref name="windowLength"/> ticks. With
    /// <paramref name="binaryInputs"/> the inputs (all 0 or 1) are kept as bytes.
    /// </summary>
    public SequenceReplayBuffer(int capacity, int inputSize, int actionSize, int windowLength, TruncationHandling truncation, bool binaryInputs = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, windowLength + 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionSize, 1);
        (Capacity, InputSize, ActionSize, WindowLength) = (capacity, inputSize, actionSize, windowLength);
        _crossTruncations = truncation == TruncationHandling.Terminal;
        _inputs = new ReplayInputRows(capacity, inputSize, binaryInputs);
        _actions = new float[(long)capacity * actionSize];
        _rewards = new float[capacity];
        _flags = new byte[capacity];
    }

    /// <summary>Rows kept (each step takes one; an episode end one more).</summary>
    public int Capacity { get; }

    /// <summary>Floats of one actor input.</summary>
    public int InputSize { get; }

    /// <summary>Floats of one action.</summary>
    public int ActionSize { get; }

    /// <summary>Whether the inputs are kept as bytes (all 0 or 1).</summary>
    public bool BinaryInputs => _inputs.Binary;

    /// <summary>L, the ticks of a sampled window.</summary>
    public int WindowLength { get; }

    /// <summary>Rows written since creation (the ring keeps the last <see cref="Capacity"/>).</summary>
    public long RowsWritten => _written;

    /// <summary>Bytes held by the rows.</summary>
    public long Bytes => _inputs.Bytes + (sizeof(float) * (_actions.LongLength + _rewards.LongLength)) + _flags.LongLength;

    /// <summary>
    /// Stores one step: the <paramref name="input"/> the actor saw, the executed <paramref name="action"/> and its
    /// reward. When the step ended the episode, <paramref name="finalInput"/> is the input of the observation it ended
    /// in (read only then); the next call starts the next episode.
    /// </summary>
    public void Add(ReadOnlySpan<float> input, ReadOnlySpan<float> action, float reward, bool terminated, bool truncated, ReadOnlySpan<float> finalInput)
    {
        if (input.Length != InputSize || action.Length != ActionSize)
        {
            throw new ArgumentException($"The replay stores inputs of {InputSize} and actions of {ActionSize} floats, got {input.Length} and {action.Length}.", nameof(input));
        }

        var ends = terminated || truncated;
        if (ends && finalInput.Length != InputSize)
        {
            throw new ArgumentException($"An episode end needs the final input of {InputSize} floats, got {finalInput.Length}.", nameof(finalInput));
        }

        // Every check before the first write: a refused step leaves the buffer as it was.
        _inputs.RequireStorable(input);
        if (ends)
        {
            _inputs.RequireStorable(finalInput);
        }

        var slot = Slot(_written);
        _inputs.Write(slot, input);
        action.CopyTo(_actions.AsSpan(slot * ActionSize, ActionSize));
        _rewards[slot] = reward;
        _flags[slot] = (byte)((terminated ? TerminatedFlag : 0) | (truncated && !terminated ? TruncatedFlag : 0));
        _written++;
        if (ends)
        {
            slot = Slot(_written);
            _inputs.Write(slot, finalInput);
            _flags[slot] = FinalFlag;
            _written++;
        }
    }

    /// <summary>Bytes of one row as <see cref="CopyRow"/> writes it: the input, the action and the reward as float32, then the flags as a uint32, little-endian.</summary>
    internal int RowBytes => sizeof(float) * (InputSize + ActionSize + 2);

    /// <summary>Writes the row held in <paramref name="slot"/> (as it is, whatever an episode end's row left of its slot's action and reward) to <paramref name="destination"/>.</summary>
    internal void CopyRow(int slot, Span<byte> destination)
    {
        var inputBytes = sizeof(float) * InputSize;
        var actionBytes = sizeof(float) * ActionSize;
        _inputs.CopyRow(slot, destination);
        MemoryMarshal.AsBytes(_actions.AsSpan(slot * ActionSize, ActionSize)).CopyTo(destination[inputBytes..]);
        BinaryPrimitives.WriteSingleLittleEndian(destination[(inputBytes + actionBytes)..], _rewards[slot]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(inputBytes + actionBytes + sizeof(float))..], _flags[slot]);
    }

    /// <summary>Puts back into <paramref name="slot"/> a row <see cref="CopyRow"/> wrote; returns false for flags no row has, or a binary replay's input that is not 0 or 1.</summary>
    internal bool RestoreRow(int slot, ReadOnlySpan<byte> source)
    {
        var inputBytes = sizeof(float) * InputSize;
        var actionBytes = sizeof(float) * ActionSize;
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(source[(inputBytes + actionBytes + sizeof(float))..]);
        if (flags is not (0 or TerminatedFlag or TruncatedFlag or FinalFlag) || !_inputs.RestoreRow(slot, source))
        {
            return false;
        }

        source.Slice(inputBytes, actionBytes).CopyTo(MemoryMarshal.AsBytes(_actions.AsSpan(slot * ActionSize, ActionSize)));
        _rewards[slot] = BinaryPrimitives.ReadSingleLittleEndian(source[(inputBytes + actionBytes)..]);
        _flags[slot] = (byte)flags;
        return true;
    }

    /// <summary>Sets the rows written after <see cref="RestoreRow"/> has put back the rows kept, and clears the slots no row has reached.</summary>
    internal void RestoreRowsWritten(long written)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(written);
        _written = written;
        if (written < Capacity)
        {
            var rows = (int)written;
            _inputs.ClearFrom(rows);
            Array.Clear(_actions, rows * ActionSize, (Capacity - rows) * ActionSize);
            Array.Clear(_rewards, rows, Capacity - rows);
            Array.Clear(_flags, rows, Capacity - rows);
        }
    }

    /// <summary>The slot row <paramref name="row"/> is kept in.</summary>
    internal int SlotOf(long row) => Slot(row);

    /// <summary>
    /// Adds the stored rows to <paramref name="checkpoint"/> under <paramref name="prefix"/>, sharing (not copying) the
    /// buffer's action and reward arrays (the inputs as a float32 copy), so the buffer must not change until the
    /// checkpoint is saved. SAC checkpoints of earlier PipeRL versions held their replay this way; SAC now keeps it
    /// beside the checkpoint (<see cref="ReplayFile"/>).
    /// </summary>
    public void Save(Checkpoint checkpoint, string prefix)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var rows = (int)Math.Min(_written, Capacity);
        checkpoint.SetIntegers(prefix + "rows", [_written, Capacity, InputSize, ActionSize, WindowLength]);
        if (rows == 0)
        {
            return;
        }

        checkpoint.Share(prefix + "inputs", InputsAsTensor(rows));
        checkpoint.Share(prefix + "actions", new Tensor(_actions, 0, new Shape(rows, ActionSize)));
        checkpoint.Share(prefix + "rewards", new Tensor(_rewards, 0, new Shape(rows)));
        checkpoint.SetBytes(prefix + "flags", _flags.AsSpan(0, rows));
    }

    /// <summary>Restores what <see cref="Save"/> wrote; a checkpoint of a buffer of another shape is refused.</summary>
    public void Load(Checkpoint checkpoint, string prefix)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var header = checkpoint.GetIntegers(prefix + "rows");
        if (header.Length != 5 || header[0] < 0 || header[1] != Capacity || header[2] != InputSize || header[3] != ActionSize || header[4] != WindowLength)
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} holds a replay of another shape than {Capacity} rows of {InputSize}-float inputs and {WindowLength}-tick windows.");
        }

        var rows = (int)Math.Min(header[0], Capacity);
        if (rows > 0)
        {
            var flags = checkpoint.GetBytes(prefix + "flags");
            if (flags.Length != rows)
            {
                throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has {flags.Length} replay flags for {rows} rows.");
            }

            var inputs = checkpoint.GetTensor(prefix + "inputs");
            if (inputs.Length != (long)rows * InputSize)
            {
                throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has a replay entry of {inputs.Length} floats where {(long)rows * InputSize} belong.");
            }

            for (var slot = 0; slot < rows; slot++)
            {
                var row = inputs.Span.Slice(slot * InputSize, InputSize);
                _inputs.RequireStorable(row);
                _inputs.Write(slot, row);
            }

            Copy(checkpoint.GetTensor(prefix + "actions"), _actions, (long)rows * ActionSize);
            Copy(checkpoint.GetTensor(prefix + "rewards"), _rewards, rows);
            flags.CopyTo(_flags, 0);
        }

        _written = header[0];

        void Copy(Tensor stored, float[] destination, long length)
        {
            if (stored.Length != length)
            {
                throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has a replay entry of {stored.Length} floats where {length} belong.");
            }

            stored.Span.CopyTo(destination);
        }
    }

    /// <summary>
    /// Fills <paramref name="windows"/> with windows whose last ticks are transitions drawn uniformly (with
    /// replacement) from those that have a whole window behind them and a next input stored (and, for in-flight
    /// windows, the actor's in-flight inputs).
    /// </summary>
    public void Sample(SeededRandom random, ReplayWindows windows)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Length != WindowLength || windows.InputSize != InputSize || windows.ActionSize != ActionSize)
        {
            throw new ArgumentException($"The windows are for {windows.Length} ticks of {windows.InputSize}-float inputs, the replay samples {WindowLength} ticks of {InputSize}.", nameof(windows));
        }

        var oldest = Math.Max(0, _written - Capacity);
        var ends = _written - 1 - (oldest + WindowLength - 1);
        for (var b = 0; b < windows.Batch; b++)
        {
            var attempt = 0;
            while (ends <= 0 || !TryWindow(oldest + WindowLength - 1 + (long)(random.NextDouble() * ends), oldest, windows, b))
            {
                if (++attempt >= AttemptsPerWindow || ends <= 0)
                {
                    throw new InvalidOperationException($"The replay's {Math.Min(_written, Capacity)} rows hold too few windows of {WindowLength} ticks inside an episode to sample from.");
                }
            }
        }
    }

    /// <summary>Writes the window ending at row <paramref name="end"/> as sample <paramref name="b"/>, or returns false when there is none.</summary>
    private bool TryWindow(long end, long oldest, ReplayWindows windows, int b)
    {
        var batch = windows.Batch;
        var rows = windows.Rows;
        if ((_flags[Slot(end)] & FinalFlag) != 0)
        {
            return false;
        }

        rows[(WindowLength * batch) + b] = end + 1;
        rows[((WindowLength - 1) * batch) + b] = end;
        var row = end;
        for (var tick = WindowLength - 2; tick >= 0; tick--)
        {
            row--;
            if (row >= oldest && (_flags[Slot(row)] & FinalFlag) != 0)
            {
                // An episode boundary: only the authors' handling steps over a cut into the episode before.
                row--;
                if (!_crossTruncations || row < oldest || _flags[Slot(row)] != TruncatedFlag)
                {
                    return false;
                }
            }

            if (row < oldest)
            {
                return false;
            }

            rows[(tick * batch) + b] = row;
        }

        for (var tick = 0; tick <= WindowLength; tick++)
        {
            var slot = Slot(rows[(tick * batch) + b]);
            _inputs.Read(slot, 0, windows.Inputs.AsSpan(((tick * batch) + b) * InputSize, InputSize));
        }

        if (windows.InFlightObservationSize is { } observationSize)
        {
            // [o_t; a_(t−K+1) … a_t]: the history of the row after t is the one a_t was pushed to.
            var after = ((WindowLength * batch) + b) * InputSize;
            windows.Inputs.AsSpan(after, InputSize).CopyTo(windows.ActorInputs.AsSpan(after, InputSize));
            for (var tick = 0; tick < WindowLength; tick++)
            {
                var at = rows[(tick * batch) + b];
                var destination = windows.ActorInputs.AsSpan(((tick * batch) + b) * InputSize, InputSize);
                _inputs.Read(Slot(at), 0, destination[..observationSize]);
                _inputs.Read(Slot(at + 1), observationSize, destination[observationSize..]);
            }
        }

        var last = Slot(end);
        _actions.AsSpan(last * ActionSize, ActionSize).CopyTo(windows.Actions.AsSpan(b * ActionSize, ActionSize));
        windows.Rewards[b] = _rewards[last];
        windows.Terminated[b] = (_flags[last] & TerminatedFlag) != 0;
        windows.Truncated[b] = (_flags[last] & TruncatedFlag) != 0;
        return true;
    }

    private int Slot(long row) => (int)(row % Capacity);

    /// <summary>A float32 copy of the first <paramref name="rows"/> inputs as a [rows, InputSize] tensor.</summary>
    private Tensor InputsAsTensor(int rows)
    {
        var values = new float[(long)rows * InputSize];
        for (var slot = 0; slot < rows; slot++)
        {
            _inputs.Read(slot, 0, values.AsSpan(slot * InputSize, InputSize));
        }

        return new Tensor(values, 0, new Shape(rows, InputSize));
    }
}
