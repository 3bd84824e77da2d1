using System.Diagnostics;
using PipeRL.Experiments.Runs;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Runs;

public sealed class RunLockTests
{
    [Fact]
    public void ASecondTakerIsToldWhoHoldsTheFolderAndGetsItAfterTheRelease()
    {
        using var dir = new TempDirectory();
        var run = new RunFolder(dir.Path);
        using (RunLock.Acquire(run))
        {
            var ex = Assert.Throws<UserInputException>(() => RunLock.Acquire(run));
            Assert.Contains($"Run folder {run.Path} is in use by process {Environment.ProcessId} on {Environment.MachineName} (", ex.Message, StringComparison.Ordinal);
        }

        using var again = RunLock.Acquire(run);
        Assert.Equal(0, again.RemovedTemporaryFiles);
    }

    [SkippableFact]
    public void AKilledHolderReleasesTheLock()
    {
        Skip.If(OperatingSystem.IsWindows() || !File.Exists("/usr/bin/flock"), "needs flock(1), which takes the same kind of lock");
        using var dir = new TempDirectory();
        var run = new RunFolder(dir.Path);
        var lockPath = Path.Combine(run.Path, RunLock.FileName);
        File.WriteAllText(lockPath, string.Empty);
        using var holder = Process.Start(new ProcessStartInfo("/usr/bin/flock", ["--exclusive", lockPath, "sleep", "60"]))!;
        try
        {
            // Wait until the other process holds the lock, then kill it as a crash would.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!Held(run) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }

            Assert.True(Held(run), "flock did not take the lock");
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }

        // The kernel drops the lock once the last process with the file open (flock's child) is gone.
        var released = DateTime.UtcNow.AddSeconds(20);
        while (Held(run) && DateTime.UtcNow < released)
        {
            Thread.Sleep(50);
        }

        using var taken = RunLock.Acquire(run);
    }

    [Fact]
    public void TakingTheLockRemovesTemporaryFilesOfKilledWrites()
    {
        using var dir = new TempDirectory();
        var run = new RunFolder(dir.Path);
        File.WriteAllBytes(Path.Combine(run.Path, "checkpoint.ckpt.123.tmp"), new byte[64]);
        File.WriteAllBytes(Path.Combine(run.Path, "evaluation.json.tmp"), new byte[64]);
        File.WriteAllText(Path.Combine(run.Path, "config.json"), "{}");
        using var taken = RunLock.Acquire(run);
        Assert.Equal(2, taken.RemovedTemporaryFiles);
        Assert.Equal(["config.json", RunLock.FileName, RunLock.HolderFileName], Directory.GetFiles(run.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static bool Held(RunFolder run)
    {
        try
        {
            RunLock.Acquire(run).Dispose();
            return false;
        }
        catch (UserInputException)
        {
            return true;
        }
    }
}
