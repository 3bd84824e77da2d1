using PipeRL.Agents;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Runs.TensorBoard;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Runs;

public sealed class MetricsWriterTests
{
    private static readonly string[] Names = ["learning_rate", "policy_loss", "explained_variance"];

    [Fact]
    public void WritesHeaderEpisodeAndUpdateRows()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "m.csv");
        using (var w = new MetricsWriter(path, Names))
        {
            w.Episode(100, 200, 1.5, 12.5, 40);
            w.Update(1024, 2048, 2.25, new UpdateStats(Names, [2.5e-4, -0.01, double.NaN]), 900);
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal("kind,tick,env_steps,wall_s,episode_return,episode_ticks,learning_rate,policy_loss,explained_variance,sps", lines[0]);
        Assert.Equal("episode,100,200,1.5,12.5,40,,,,", lines[1]);
        Assert.Equal("update,1024,2048,2.25,,,0.00025,-0.01,,900", lines[2]);
        Assert.All(lines, l => Assert.Equal(MetricsWriter.ColumnsFor(Names).Count - 1, l.Count(c => c == ',')));

        // The same rows as TensorBoard events at step = tick; the NaN explained variance is left out, as in the CSV.
        var events = EventFileWriter.ReadAll(EventFileWriter.Find(dir.Path)!);
        Assert.Equal([0L, 100, 1024], events.Select(e => e.Step));
        Assert.Equal([new("episode/return", 12.5f), new("episode/ticks", 40f), new("env_steps", 200f)], events[1].Scalars);
        Assert.Equal(["train/learning_rate", "train/policy_loss", "perf/env_steps_per_s", "env_steps"], events[2].Scalars.Select(s => s.Key));
        Assert.Equal([2.5e-4f, -0.01f, 900f, 2048f], events[2].Scalars.Select(s => s.Value));
    }

    [Fact]
    public void ContinueDropsTheRowsWrittenAfterTheGivenLength()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "m.csv");
        long checkpoint;
        using (var w = new MetricsWriter(path, Names))
        {
            w.Episode(100, 100, 1, 5, 100);
            checkpoint = w.Length;
            w.Episode(200, 200, 2, 6, 100);
        }

        Assert.Equal(checkpoint, File.ReadAllLines(path)[..2].Sum(l => l.Length + 1));
        using (var w = MetricsWriter.Continue(path, checkpoint))
        {
            w.Episode(300, 300, 3, 7, 100);
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("episode,100,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("episode,300,", lines[2], StringComparison.Ordinal);
        Assert.Equal([0L, 100, 300], EventFileWriter.ReadAll(EventFileWriter.Find(dir.Path)!).Select(e => e.Step));
        Assert.Throws<InvalidDataException>(() => MetricsWriter.Continue(path, new FileInfo(path).Length + 1));
    }

    [Fact]
    public void AContinuedFileKeepsTheColumnsOfItsHeader()
    {
        // A file written by an earlier PipeRL, whose updates reported fewer scalars than now.
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "m.csv");
        using (new MetricsWriter(path, ["policy_loss", "value_loss"]))
        {
        }

        using (var w = MetricsWriter.Continue(path, new FileInfo(path).Length))
        {
            Assert.Equal(["policy_loss", "value_loss"], w.StatNames);
            w.Update(64, 64, 1, new UpdateStats(["value_loss", "policy_loss", "replay_error"], [0.5, -0.1, 1e-7]), 64);
        }

        Assert.Equal("update,64,64,1,,,-0.1,0.5,64", File.ReadAllLines(path)[1]);

        File.WriteAllText(path, "tick,return\n1,2\n");
        var ex = Assert.Throws<InvalidDataException>(() => MetricsWriter.Continue(path, 6));
        Assert.Contains("does not start with a metrics header", ex.Message, StringComparison.Ordinal);
    }
}
