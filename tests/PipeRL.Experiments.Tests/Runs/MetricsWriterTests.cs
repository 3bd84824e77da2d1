using PipeRL.Experiments.Runs;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Runs;

public sealed class MetricsWriterTests
{
    [Fact]
    public void WritesHeaderEpisodeAndUpdateRows()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "m.csv");
        using (var w = new MetricsWriter(path))
        {
            w.Episode(100, 200, 1.5, 12.5, 40);
            w.Update(1024, 2048, 2.25, new UpdateMetrics(2.5e-4, -0.01, 0.5, 1.79, 0.002, 0.1, double.NaN, 900));
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(string.Join(',', MetricsWriter.Columns), lines[0]);
        Assert.Equal("episode,100,200,1.5,12.5,40,,,,,,,,", lines[1]);
        Assert.Equal("update,1024,2048,2.25,,,0.00025,-0.01,0.5,1.79,0.002,0.1,,900", lines[2]);
        Assert.All(lines, l => Assert.Equal(MetricsWriter.Columns.Count - 1, l.Count(c => c == ',')));
    }

    [Fact]
    public void ContinueDropsTheRowsWrittenAfterTheGivenLength()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "m.csv");
        long checkpoint;
        using (var w = new MetricsWriter(path))
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
        Assert.Throws<InvalidDataException>(() => MetricsWriter.Continue(path, new FileInfo(path).Length + 1));
    }
}
