using System.Globalization;
using System.Text;

namespace PipeRL.Experiments.Runs;

/// <summary>
/// The run's metrics CSV: one row per update and one per finished episode (column <c>kind</c>), flushed per row so a
/// killed run leaves a valid file. Empty cells mean "not measured by this kind of row".
/// </summary>
public sealed class MetricsWriter : IDisposable
{
    /// <summary>The CSV columns, in order.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "kind", "tick", "env_steps", "wall_s", "episode_return", "episode_ticks", "learning_rate", "policy_loss",
        "value_loss", "entropy", "approx_kl", "clip_fraction", "explained_variance", "sps",
    ];

    private readonly StreamWriter _writer;
    private readonly StringBuilder _line = new();

    /// <summary>Creates (or truncates) the CSV at <paramref name="path"/> and writes its header.</summary>
    public MetricsWriter(string path)
        : this(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read))
    {
        _writer.WriteLine(string.Join(',', Columns));
        _writer.Flush();
    }

    private MetricsWriter(FileStream stream) => _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };

    /// <summary>Bytes written so far (every row is flushed), the length to continue from after a checkpoint.</summary>
    public long Length => _writer.BaseStream.Position;

    /// <summary>
    /// Continues the CSV at <paramref name="path"/> after its first <paramref name="length"/> bytes (what
    /// <see cref="Length"/> was at a checkpoint), dropping the rows written after it; a shorter file is refused.
    /// </summary>
    public static MetricsWriter Continue(string path, long length)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        if (stream.Length < length)
        {
            var actual = stream.Length;
            stream.Dispose();
            throw new InvalidDataException($"{path} has {actual} bytes but the checkpoint was taken at {length}; it was truncated or replaced.");
        }

        stream.SetLength(length);
        stream.Position = length;
        return new MetricsWriter(stream);
    }

    /// <summary>Appends an episode row.</summary>
    public void Episode(long tick, long envSteps, double wallSeconds, double episodeReturn, long episodeTicks) =>
        Write("episode", tick, envSteps, wallSeconds, [episodeReturn, episodeTicks, null, null, null, null, null, null, null, null]);

    /// <summary>Appends an update row.</summary>
    public void Update(long tick, long envSteps, double wallSeconds, UpdateMetrics m) =>
        Write("update", tick, envSteps, wallSeconds, [null, null, m.LearningRate, m.PolicyLoss, m.ValueLoss, m.Entropy, m.ApproxKl, m.ClipFraction, m.ExplainedVariance, m.StepsPerSecond]);

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();

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
