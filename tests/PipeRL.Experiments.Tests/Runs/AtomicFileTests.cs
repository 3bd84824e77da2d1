using PipeRL.Experiments.Runs;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Runs;

public sealed class AtomicFileTests
{
    [Fact]
    public void WritesTheContentAndLeavesNoTemporary()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "a.txt");
        AtomicFile.WriteAllText(path, "hello");
        Assert.Equal("hello", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AFailedWriteKeepsTheOldFileIntact()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "a.txt");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(1);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
