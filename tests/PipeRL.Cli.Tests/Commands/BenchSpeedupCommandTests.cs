using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests.Commands;

public sealed class BenchSpeedupCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "piperl-speedup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void AQuickRunPrintsEveryDepthAndImplementationAndWritesCsvAndPlots()
    {
        var (code, output, error) = Run(
            "bench", "speedup", "--depths", "2", "4", "--width", "16", "--repetitions", "1", "--warmup-ms", "0", "--repetition-ms", "0",
            "--paced-ms", "0.1", "--paced-ticks", "2", "--dense-limit-mb", "0", "--out", _dir);

        Assert.True(code == PiperlApp.Success, error);
        foreach (var implementation in new[] { "sequential", "layers", "parallel", "parallel-always", "parallel-overlapped", "fused-dense", "fused-sparse" })
        {
            Assert.Contains(implementation, output, StringComparison.Ordinal);
        }

        var csv = File.ReadAllLines(Path.Combine(_dir, "speedup.csv"));
        Assert.Equal("depth,implementation,median_us,min_us,p90_us,speedup_percent,actions_per_second,paced_median_us,paced_speedup_percent,round_trip_before_us,round_trip_after_us", csv[0]);
        Assert.Equal(1 + (2 * 7), csv.Length);

        // --dense-limit-mb 0 skips the fused dense tick: its cells are empty but for its depth's round trip.
        Assert.Single(csv, line => line.StartsWith("4,fused-dense,,,,,,,,", StringComparison.Ordinal));

        // Every row of a depth carries the same round trip before and after its tight loop: microseconds, or empty where
        // not measured (one core, or a machine so busy that the echo thread got no turn). A measured fused dense tick would
        // carry its own pass's.
        foreach (var depth in new[] { "2", "4" })
        {
            var roundTrips = csv.Skip(1).Where(l => l.Split(',')[0] == depth).Select(l => string.Join(',', l.Split(',')[^2..])).Distinct().ToArray();
            Assert.Single(roundTrips);
            Assert.All(roundTrips[0].Split(','), cell => Assert.True(
                cell.Length == 0 || double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture) > 0, $"round trip '{cell}'"));
        }
        Assert.True(new FileInfo(Path.Combine(_dir, "speedup.png")).Length > 1000);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(_dir, "speedup.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public void TheFusedDenseTickIsMeasuredLastInAPassOfItsOwn()
    {
        var (code, output, error) = Run(
            "bench", "speedup", "--depths", "2", "4", "--width", "16", "--implementations", "fused-dense", "layers", "--repetitions", "1",
            "--warmup-ms", "0", "--repetition-ms", "0", "--paced-ms", "0", "--out", _dir);

        Assert.True(code == PiperlApp.Success, error);
        var progress = output.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Match(l, "^depth +[0-9]+: [a-z-]+").Value).Where(l => l.Length > 0);
        Assert.Equal(["depth   2: layers", "depth   4: layers", "depth   2: fused-dense", "depth   4: fused-dense"], progress);

        // The table keeps each depth's rows together, in the order asked for, every one measured.
        var csv = File.ReadAllLines(Path.Combine(_dir, "speedup.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["2,sequential", "2,fused-dense", "2,layers", "4,sequential", "4,fused-dense", "4,layers"], csv.Select(c => $"{c[0]},{c[1]}"));
        Assert.All(csv, c => Assert.True(double.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture) > 0, string.Join(',', c)));
    }

    [Theory]
    [InlineData("--depths", "1")]
    [InlineData("--implementations", "gpu")]
    [InlineData("--threads", "1")]
    [InlineData("--paced-ms", "-1")]
    public void BadValuesAreUsageErrors(string option, string value)
    {
        var (code, _, error) = Run("bench", "speedup", option, value, "--out", _dir);

        Assert.Equal(PiperlApp.UsageError, code);
        Assert.StartsWith("piperl: ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir));
    }
}
