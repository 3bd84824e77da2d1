using PipeRL.Experiments.Runs;

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
}
