using System.Globalization;
using System.Text;
using PipeRL.Agents;
using PipeRL.Experiments.Runs.TensorBoard;

namespace PipeRL.Experiments.Runs;

/// <summary>
/// The run's metrics CSV: one row per update and one per finished episode (column <c>kind</c>), flushed per row so a
/// killed run leaves a valid file. The update columns are the trainer's named scalars (<see cref="UpdateStats"/>),
/// between the episode columns and the env steps per second; empty cells mean "not measured by this kind of row". The
/// same values go, at step = tick, to a TensorBoard event file beside the CSV (tags <c>train/NAME</c>,
/// <c>perf/env_steps_per_s</c> and <see cref="EpisodeTags"/>).
/// </summary>
public sealed class MetricsWriter : IDisposable
{
    /// <summary>The columns every metrics CSV starts with: the row's kind and place, then an episode row's values.</summary>
    public static readonly IReadOnlyList<string> LeadingColumns = ["kind", "tick", "env_steps", "wall_s", "episode_return", "episode_ticks"];

    /// <summary>The last column: env steps per second over the run so far (update rows).</summary>
    public const string StepsPerSecondColumn = "sps";

    /// <summary>The columns that read the wall clock: the only ones in which a resumed run differs from an uninterrupted one.</summary>
    public static readonly IReadOnlyList<string> WallClockColumns = ["wall_s", StepsPerSecondColumn];

    /// <summary>The columns of an evaluation row's values (kind <c>eval</c>), present when the run evaluates during training.</summary>
    public static readonly IReadOnlyList<string> EvaluationColumns = ["eval_sampled_return", "eval_greedy_return"];

    /// <summary>The TensorBoard tags of an evaluation row's values.</summary>
    public static readonly IReadOnlyList<string> EvaluationTags = ["eval/sampled_return", "eval/greedy_return", "env_steps"];

    /// <summary>The TensorBoard tags of an episode row's values.</summary>
    public static readonly IReadOnlyList<string> EpisodeTags = ["episode/return", "episode/ticks", "env_steps"];

    private readonly StreamWriter _writer;
    private readonly EventFileWriter _events;
    private readonly StringBuilder _line = new();
    private readonly string[] _tags;
    private readonly float[] _values;
    private readonly double?[] _cells;
    private readonly int[] _evaluationCells;

    /// <summary>
    /// Creates (or truncates) the CSV at <paramref name="path"/> for updates that report <paramref name="statNames"/>
    /// and writes its header; replaces the event files of its folder with a new one.
    /// </summary>
    public MetricsWriter(string path, IReadOnlyList<string> statNames)
        : this(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), NewEvents(FolderOf(path)), statNames)
    {
        _writer.WriteLine(string.Join(',', Columns));
        _writer.Flush();
    }

    private MetricsWriter(FileStream stream, EventFileWriter events, IReadOnlyList<string> statNames)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
        _events = events;
        StatNames = [.. statNames];
        _evaluationCells = [.. EvaluationColumns.Select(c => Array.IndexOf(StatNames.ToArray(), c))];
        Columns = ColumnsFor(statNames);
        UpdateTags = [.. statNames.Select(n => "train/" + n), "perf/env_steps_per_s", "env_steps"];
        _tags = new string[UpdateTags.Count];
        _values = new float[UpdateTags.Count];
        _cells = new double?[Columns.Count - 4];
    }

    /// <summary>The update scalars this file has columns for, in order.</summary>
    public IReadOnlyList<string> StatNames { get; }

    /// <summary>The CSV columns, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The TensorBoard tags of an update row's values: <c>train/NAME</c> per scalar, then the env steps per second and the env steps.</summary>
    public IReadOnlyList<string> UpdateTags { get; }

    /// <summary>The CSV columns of a run whose updates report <paramref name="statNames"/>.</summary>
    public static IReadOnlyList<string> ColumnsFor(IReadOnlyList<string> statNames) => [.. LeadingColumns, .. statNames, StepsPerSecondColumn];

    /// <summary>Bytes written so far (every row is flushed), the length to continue from after a checkpoint.</summary>
    public long Length => _writer.BaseStream.Position;

    /// <summary>
    /// Continues the CSV at <paramref name="path"/> after its first <paramref name="length"/> bytes (what
    /// <see cref="Length"/> was at a checkpoint), dropping the rows written after it, with the columns its header names;
    /// a shorter file or one without a metrics header is refused.
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
            var statNames = StatNamesOf(stream, path);
            var lastTick = LastTick(stream);
            stream.Position = length;
            return new MetricsWriter(stream, EventFileWriter.Continue(FolderOf(path), lastTick), statNames);
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
        Array.Clear(_cells);
        (_cells[0], _cells[1]) = (episodeReturn, episodeTicks);
        Write("episode", tick, envSteps, wallSeconds);
        WriteEvent(tick, EpisodeTags, [episodeReturn, episodeTicks, envSteps]);
    }

    /// <summary>Appends an evaluation row: the mean returns, sampled and greedy, under <see cref="EvaluationColumns"/> (which <see cref="StatNames"/> must hold).</summary>
    public void Evaluation(long tick, long envSteps, double wallSeconds, double sampledMean, double greedyMean)
    {
        Array.Clear(_cells);
        for (var i = 0; i < EvaluationColumns.Count; i++)
        {
            var column = _evaluationCells[i];
            if (column < 0)
            {
                throw new InvalidOperationException($"This metrics file has no column {EvaluationColumns[i]}.");
            }

            _cells[2 + column] = i == 0 ? sampledMean : greedyMean;
        }

        Write("eval", tick, envSteps, wallSeconds);
        WriteEvent(tick, EvaluationTags, [sampledMean, greedyMean, envSteps]);
    }

    /// <summary>Appends an update row: the values of <paramref name="stats"/> under this file's <see cref="StatNames"/> (others are left out) and the env steps per second.</summary>
    public void Update(long tick, long envSteps, double wallSeconds, UpdateStats stats, double stepsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(stats);
        Array.Clear(_cells);
        Span<double> values = stackalloc double[UpdateTags.Count];
        for (var i = 0; i < StatNames.Count; i++)
        {
            values[i] = stats.TryGet(StatNames[i], out var v) ? v : double.NaN;
            _cells[2 + i] = values[i];
        }

        _cells[^1] = stepsPerSecond;
        values[^2] = stepsPerSecond;
        values[^1] = envSteps;
        Write("update", tick, envSteps, wallSeconds);
        WriteEvent(tick, UpdateTags, values);
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

    // The update scalars named by the CSV's header: the columns between the leading ones and the last.
    private static string[] StatNamesOf(FileStream stream, string path)
    {
        stream.Position = 0;
        var head = new byte[(int)Math.Min(stream.Length, 1 << 16)];
        stream.ReadExactly(head);
        var text = Encoding.UTF8.GetString(head);
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var columns = (end < 0 ? text : text[..end]).Split(',');
        if (columns.Length < LeadingColumns.Count + 1 || !columns.AsSpan(0, LeadingColumns.Count).SequenceEqual([.. LeadingColumns]) || columns[^1] != StepsPerSecondColumn)
        {
            throw new InvalidDataException($"{path} does not start with a metrics header ({string.Join(',', LeadingColumns)},...,{StepsPerSecondColumn}).");
        }

        return columns[LeadingColumns.Count..^1];
    }

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

    private void Write(string kind, long tick, long envSteps, double wallSeconds)
    {
        _line.Clear();
        _line.Append(kind).Append(',').Append(tick).Append(',').Append(envSteps).Append(',')
            .Append(wallSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        foreach (var v in _cells)
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
