using System.Buffers;
using System.Globalization;

namespace PipeRL.Experiments.Runs.TensorBoard;

/// <summary>
/// A TensorBoard event file of scalars (<c>events.out.tfevents.TIME.piperl</c>), one record per event, flushed per event so
/// a killed run leaves every finished record readable. <c>tensorboard --logdir runs</c> shows it.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    /// <summary>What every event file's name starts with; TensorBoard reads files whose name contains "tfevents".</summary>
    public const string FilePrefix = "events.out.tfevents.";

    private readonly FileStream _stream;
    private readonly TimeProvider _clock;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    private EventFileWriter(FileStream stream, TimeProvider clock)
    {
        _stream = stream;
        _clock = clock;
    }

    /// <summary>The file.</summary>
    public string Path => _stream.Name;

    /// <summary>Creates a new event file in <paramref name="folder"/>, named after the current time, and writes its file-version event.</summary>
    public static EventFileWriter Create(string folder, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var now = clock.GetUtcNow();
        var path = System.IO.Path.Combine(folder, FilePrefix + now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ".piperl");
        var writer = new EventFileWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), clock);
        EventProto.WriteFileVersion(writer._buffer, UnixSeconds(now));
        writer.Flush();
        return writer;
    }

    /// <summary>
    /// Continues the event file in <paramref name="folder"/> after its last event at or before step <paramref name="lastStep"/>
    /// (where a run's checkpoint was taken), dropping the later events and any record cut short; creates a new file when
    /// the folder has none.
    /// </summary>
    public static EventFileWriter Continue(string folder, long lastStep, TimeProvider? clock = null)
    {
        var existing = Find(folder);
        if (existing is null)
        {
            return Create(folder, clock);
        }

        var stream = new FileStream(existing, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            long keep = 0;
            while (NextStep(stream) is { } step && step <= lastStep)
            {
                keep = stream.Position;
            }

            stream.SetLength(keep);
            stream.Position = keep;
            return new EventFileWriter(stream, clock ?? TimeProvider.System);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The event file in <paramref name="folder"/> (the first by name when several), or null.</summary>
    public static string? Find(string folder) => Directory.Exists(folder)
        ? Directory.GetFiles(folder, FilePrefix + "*").Order(StringComparer.Ordinal).FirstOrDefault()
        : null;

    /// <summary>Every event of the file at <paramref name="path"/>, in order; a record cut short at the end is left out.</summary>
    public static IReadOnlyList<TensorBoardEvent> ReadAll(string path)
    {
        using var stream = File.OpenRead(path);
        var events = new List<TensorBoardEvent>();
        while (TfRecord.Read(stream) is { } payload)
        {
            events.Add(EventProto.Read(payload));
        }

        return events;
    }

    /// <summary>Appends one event at <paramref name="step"/> with a simple value per tag, stamped with the current time.</summary>
    public void Scalars(long step, ReadOnlySpan<string> tags, ReadOnlySpan<float> values)
    {
        EventProto.WriteScalars(_buffer, WallTime(), step, tags, values);
        Flush();
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private static double UnixSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private double WallTime() => UnixSeconds(_clock.GetUtcNow());

    private void Flush()
    {
        TfRecord.Write(_stream, _buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _stream.Flush();
    }

    // The step of the next record, or null at the end, at a record cut short or at a damaged one (the file is cut there).
    private static long? NextStep(Stream stream)
    {
        try
        {
            return TfRecord.Read(stream) is { } payload ? EventProto.Read(payload).Step : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
