using System.Diagnostics;
using PipeRL.Experiments.Registry;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Studies;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Studies;

public sealed class SlurmArrayTests
{
    private static StudySpec Tiny => new()
    {
        Name = "tiny array",
        Envs = ["classic/cartpole"],
        Archs = [StudyArch.Of("instant"), StudyArch.Of("pipelined")],
        Taus = [Tau.One],
        Seeds = [1, 2],
        Steps = 2048,
        EvalEpisodes = 2,
        Threads = 2,
        Parallel = 3,
    };

    [Fact]
    public void TheScriptHasOneTaskPerRunAtMostParallelAtOnceWithTheStudysThreads()
    {
        using var dir = new TempDirectory();
        var (folder, runs) = StudyRunner.Prepare(Tiny, new RunStore(dir.Path), TextWriter.Null);
        var script = File.ReadAllText(SlurmArray.Write(folder, Tiny, runs, ["dotnet", "/opt/piperl dir/piperl.dll"]));
        Assert.Contains("#SBATCH --array=0-3%3\n", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --cpus-per-task=2\n", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --job-name=piperl-tiny_array\n", script, StringComparison.Ordinal);
        Assert.Contains($"#SBATCH --signal=B:TERM@{SlurmArray.StopWarningSeconds}\n", script, StringComparison.Ordinal);
        Assert.Contains("exec 'dotnet' '/opt/piperl dir/piperl.dll' train --resume \"$run\"\n", script, StringComparison.Ordinal);
        Assert.Equal(runs.Select(r => $"  '{r.Path}'"), script.Split('\n').Where(l => l.StartsWith("  '", StringComparison.Ordinal)));
        Assert.All(runs, r => Assert.True(r.HasConfig));
    }

    [SkippableFact]
    public void ATaskStartsItsOwnRunAndAFinishedRunExitsAtOnce()
    {
        Skip.IfNot(File.Exists("/bin/bash"), "bash is not installed; the array script is a bash script.");

        using var dir = new TempDirectory();
        var (folder, runs) = StudyRunner.Prepare(Tiny, new RunStore(dir.Path), TextWriter.Null);
        var path = SlurmArray.Write(folder, Tiny, runs, ["echo", "it's"]);
        Assert.Equal($"it's train --resume {runs[2].Path}", RunTask(path, 2));

        File.WriteAllText(runs[1].ParametersPath, "x");
        File.WriteAllText(runs[1].EvaluationPath, "{}");
        Assert.Equal($"{runs[1].Path} has finished", RunTask(path, 1));
    }

    [Fact]
    public void GatherIndexesEveryRunAndReportsTheFinishedOnes()
    {
        using var dir = new TempDirectory();
        var store = new RunStore(dir.Path);
        var (folder, runs) = StudyRunner.Prepare(Tiny, store, TextWriter.Null);
        Assert.Equal(0, StudyRunner.InProcess(runs[0], TextWriter.Null, CancellationToken.None));

        var table = StudyRunner.Gather(folder, TextWriter.Null);
        Assert.NotNull(table);
        Assert.Contains("| classic/cartpole | 1 | instant |", table, StringComparison.Ordinal);
        Assert.DoesNotContain("| pipelined |", table, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "study.md")));
        using var registry = RunRegistry.Open(store.RegistryPath);
        var statuses = registry.List().ToDictionary(r => r.Name, r => r.Status);
        Assert.Equal(4, statuses.Count);
        Assert.Equal("finished", statuses[runs[0].Name]);
        Assert.Equal("new", statuses[runs[3].Name]);
    }

    [Fact]
    public void GatherRefusesAFolderWithoutRuns()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<UserInputException>(() => StudyRunner.Gather(dir.Path, TextWriter.Null));
        Assert.Contains("holds no run folders", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<UserInputException>(() => StudyRunner.Gather(Path.Combine(dir.Path, "absent"), TextWriter.Null));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    private static string RunTask(string script, int index)
    {
        var start = new ProcessStartInfo("/bin/bash", [script]) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["SLURM_ARRAY_TASK_ID"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
