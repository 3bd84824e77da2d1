using System.Globalization;
using System.Text;
using PipeRL.Experiments.Runs.TensorBoard;

namespace PipeRL.Experiments.Runs;

/// <summary>
/// The run's metrics CSV: one row per update and one per finished episode (column <c>kind</c>), flushed per row so a
/// killed run leaves a valid file. Empty cells mean "not measured by this kind of row". The same values go, at step =
/// tick, to a TensorBoard event file beside the CSV (tags <see cref="UpdateTags"/> and <see cref="EpisodeTags"/>).
/// </summary>
public sealed class MetricsWriter : IDisposable
{
    /// <summary>The CSV columns, in order.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "kind", "tick", "env_steps", "wall_s", "episode_return", "episode_ticks", "learning_rate", "policy_loss",
        "value_loss", "entropy", "approx_kl", "clip_fraction", "explained_variance", "sps",
    ];

    /// <summary>The TensorBoard tags of an update row's values, in the order of its CSV columns.</summary>
    public static readonly IReadOnlyList<string> UpdateTags =
    [
        "train/learning_rate", "train/policy_loss", "train/value_loss", "train/entropy", "train/approx_kl",
        "train/clip_fraction", "train/explained_variance", "perf/env_steps_per_s", "env_steps",
    ];

    /// <summary>The TensorBoard tags of an episode row's values.</summary>
    public static readonly IReadOnlyList<string> EpisodeTags = ["episode/return", "episode/ticks", "env_steps"];

    private readonly StreamWriter _writer;
    private readonly EventFileWriter _events;
    private readonly StringBuilder _line = new();
    private readonly string[] _tags = new string[UpdateTags.Count];
    private readonly float[] _values = new float[UpdateTags.Count];

    /// <summary>
    /// Creates (or truncates) the CSV at <paramref name="path"/> and writes its header; replaces the event files of its
    /// folder with a new one.
    /// </summary>
    public MetricsWriter(string path)
        : this(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), NewEvents(FolderOf(path)))
    {
        _writer.WriteLine(string.Join(',', Columns));
        _writer.Flush();
    }

    private MetricsWriter(FileStream stream, EventFileWriter events)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
        _events = events;
    }

    /// <summary>Bytes written so far (every row is flushed), the length to continue from after a checkpoint.</summary>
    public long Length => _writer.BaseStream.Position;

    /// <summary>
    /// Continues the CSV at <paramref name="path"/> after its first <paramref name="length"/> bytes (what
    /// <see cref="Length"/> was at a checkpoint), dropping the rows written after it; a shorter file is refused.
    /// </summary>
    public static MetricsWriter Continue(string path, long length)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length < length)
        {
            var actual = stream.Length;
            stream.Dispose();
            throw new InvalidDataException($"{path} has {actual} bytes but the checkpoint was taken at {length}; it was truncated or replaced.");
        }

        stream.SetLength(length);
        try
        {
            var lastTick = LastTick(stream);
            stream.Position = length;
            return new MetricsWriter(stream, EventFileWriter.Continue(FolderOf(path), lastTick));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends an episode row.</summary>
    public void Episode(long tick, long envSteps, double wallSeconds, double episodeReturn, long episodeTicks)
    {
        Write("episode", tick, envSteps, wallSeconds, [episodeReturn, episodeTicks, null, null, null, null, null, null, null, null]);
        WriteEvent(tick, EpisodeTags, [episodeReturn, episodeTicks, envSteps]);
    }

    /// <summary>Appends an update row.</summary>
    public void Update(long tick, long envSteps, double wallSeconds, UpdateMetrics m)
    {
        Write("update", tick, envSteps, wallSeconds, [null, null, m.LearningRate, m.PolicyLoss, m.ValueLoss, m.Entropy, m.ApproxKl, m.ClipFraction, m.ExplainedVariance, m.StepsPerSecond]);
        WriteEvent(tick, UpdateTags, [m.LearningRate, m.PolicyLoss, m.ValueLoss, m.Entropy, m.ApproxKl, m.ClipFraction, m.ExplainedVariance, m.StepsPerSecond, envSteps]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _writer.Dispose();
        _events.Dispose();
    }

    private static EventFileWriter NewEvents(string folder)
    {
        while (EventFileWriter.Find(folder) is { } stale)
        {
            File.Delete(stale);
        }

        return EventFileWriter.Create(folder);
    }

    private static string FolderOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;

    // The tick of the CSV's last row (0 for a header alone): the step the event file continues after.
    private static long LastTick(FileStream stream)
    {
        var tail = new byte[(int)Math.Min(stream.Length, 4096)];
        stream.Position = stream.Length - tail.Length;
        stream.ReadExactly(tail);
        var lines = Encoding.UTF8.GetString(tail).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cells = lines.Length > 0 ? lines[^1].Split(',') : [];
        return cells.Length > 1 && long.TryParse(cells[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tick) ? tick : 0;
    }

    // NaN values (not measured) are left out of the event, as they are left empty in the CSV.
    private void WriteEvent(long tick, IReadOnlyList<string> tags, ReadOnlySpan<double> values)
    {
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsNaN(values[i]))
            {
                _tags[n] = tags[i];
                _values[n++] = (float)values[i];
            }
        }

        _events.Scalars(tick, _tags.AsSpan(0, n), _values.AsSpan(0, n));
    }

    private void Write(string kind, long tick, long envSteps, double wallSeconds, double?[] values)
    {
        _line.Clear();
        _line.Append(kind).Append(',').Append(tick).Append(',').Append(envSteps).Append(',')
            .Append(wallSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        foreach (var v in values)
        {
            _line.Append(',');
            if (v is { } x && !double.IsNaN(x))
            {
                _line.Append(x.ToString("G7", CultureInfo.InvariantCulture));
            }
        }

        _writer.WriteLine(_line);
        _writer.Flush();
    }
}
