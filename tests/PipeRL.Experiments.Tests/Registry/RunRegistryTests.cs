using Microsoft.Data.Sqlite;
using PipeRL.Experiments.Registry;
using PipeRL.Experiments.Runs;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Registry;

public sealed class RunRegistryTests
{
    [Fact]
    public void RebuildIndexesEveryRunFolderWithItsStatusAndScores()
    {
        using var dir = new TempDirectory();
        FakeRuns.Write(dir.Path, "a", "classic/cartpole", "instant", Tau.One, 1, [10, 20]);
        FakeRuns.Write(Path.Combine(dir.Path, "study"), "b", "minatar/breakout", "pipelined", Tau.Steps(2), 3, evaluation: null);
        var interrupted = FakeRuns.Write(Path.Combine(dir.Path, "study"), "c", "minatar/breakout", "pipelined", Tau.Fraction(4), 3, evaluation: null);
        File.WriteAllText(interrupted.CheckpointPath, "x");
        Directory.CreateDirectory(Path.Combine(dir.Path, "not-a-run"));

        using var registry = RunRegistry.Open(Path.Combine(dir.Path, RunRegistry.FileName));
        Assert.Equal(3, registry.Rebuild(TextWriter.Null));
        var runs = registry.List();
        Assert.Equal(["a", "study/b", "study/c"], runs.Select(r => r.Path));
        Assert.Equal(["finished", "new", "interrupted"], runs.Select(r => r.Status));
        Assert.Equal(["", "study", "study"], runs.Select(r => r.Study));
        Assert.Equal(["1", "2", "1/4"], runs.Select(r => r.Tau));
        Assert.Equal(15, runs[0].SampledMean);
        Assert.Equal(16, runs[0].GreedyMean);
        Assert.Equal(5, runs[0].SampledStd);
        Assert.Null(runs[1].SampledMean);
        Assert.Contains("\"env\": \"minatar/breakout\"", runs[2].Config, StringComparison.Ordinal);

        // Rebuilding twice gives the same index; a removed folder leaves it.
        Directory.Delete(Path.Combine(dir.Path, "a"), recursive: true);
        Assert.Equal(2, registry.Rebuild(TextWriter.Null));
        Assert.Equal(["study/b", "study/c"], registry.List().Select(r => r.Path));
    }

    [Fact]
    public void UsesWriteAheadLogging()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, RunRegistry.FileName);
        using (RunRegistry.Open(path))
        {
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void ARunMarkedRunningWhoseProcessDiedIsListedAsTheFolderSays()
    {
        using var dir = new TempDirectory();
        var run = FakeRuns.Write(dir.Path, "killed", "classic/cartpole", "instant", Tau.One, 1, evaluation: null);
        var registryPath = Path.Combine(dir.Path, RunRegistry.FileName);
        using (RunLock.Acquire(run))
        {
            RunRegistry.Record(registryPath, run, TextWriter.Null);
            using var during = RunRegistry.Open(registryPath);
            Assert.Equal("running", Assert.Single(during.List()).Status);
            Assert.Throws<UserInputException>(() => RunLock.Acquire(run));
        }

        // The lock went with its holder (as with a SIGKILL); the row still says running until listed.
        File.WriteAllText(run.CheckpointPath, "x");
        using var registry = RunRegistry.Open(registryPath);
        Assert.Equal("interrupted", Assert.Single(registry.List()).Status);
    }

    [Fact]
    public void ConcurrentWritersAllLand()
    {
        using var dir = new TempDirectory();
        var registryPath = Path.Combine(dir.Path, RunRegistry.FileName);
        var runs = Enumerable.Range(0, 8)
            .Select(i => FakeRuns.Write(dir.Path, $"r{i}", "classic/cartpole", "instant", Tau.One, i, [i]))
            .ToList();
        using var warnings = new StringWriter();
        var writer = TextWriter.Synchronized(warnings);
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => RunRegistry.Record(registryPath, runs[i % runs.Count], writer));

        Assert.Equal(string.Empty, warnings.ToString());
        using var registry = RunRegistry.Open(registryPath);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (double)i), registry.List().Select(r => r.SampledMean!.Value));
    }

    [Fact]
    public void FindsARunByPathOrUniqueName()
    {
        using var dir = new TempDirectory();
        FakeRuns.Write(Path.Combine(dir.Path, "s1"), "x", "classic/cartpole", "instant", Tau.One, 1, [1]);
        FakeRuns.Write(Path.Combine(dir.Path, "s2"), "x", "classic/cartpole", "instant", Tau.One, 2, [2]);
        FakeRuns.Write(dir.Path, "y", "classic/cartpole", "instant", Tau.One, 3, [3]);
        using var registry = RunRegistry.Open(Path.Combine(dir.Path, RunRegistry.FileName));
        registry.Rebuild(TextWriter.Null);

        Assert.Equal(2, registry.Find("s2/x").Seed);
        Assert.Equal(3, registry.Find("y").Seed);
        Assert.Equal(1, registry.Find(Path.Combine(dir.Path, "s1", "x")).Seed);
        Assert.Contains("names 2 runs: s1/x, s2/x", Assert.Throws<UserInputException>(() => registry.Find("x")).Message, StringComparison.Ordinal);
        Assert.Contains("No run 'z'", Assert.Throws<UserInputException>(() => registry.Find("z")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADamagedRegistryIsOneClearError()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, RunRegistry.FileName);
        File.WriteAllText(path, "this is not a database, but long enough to be read as one by sqlite's header check....");
        var ex = Assert.Throws<UserInputException>(() => RunRegistry.Open(path));
        Assert.Contains("piperl runs --rebuild", ex.Message, StringComparison.Ordinal);
    }
}
