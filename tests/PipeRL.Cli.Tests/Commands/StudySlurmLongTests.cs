using System.Diagnostics;
using PipeRL.Tests;
using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests.Commands;

/// <summary>
/// <c>piperl study --slurm</c> on a real single-node Slurm (Debian's slurm-wlm, started by
/// <c>scripts/slurm-local.sh</c>): a two-task array trains both runs, <c>study gather</c> indexes and reports them, and a
/// resubmitted array finds them finished. Needs root (the script installs slurm-wlm and starts the daemons).
/// </summary>
public sealed class StudySlurmLongTests
{
    [SkippableFact]
    [Trait("Category", "Long")]
    public void ATwoTaskArrayTrainsBothRunsAndGatherReportsThem()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "the Slurm test starts slurmctld, slurmd and munged: it needs root on Linux");
        var script = FindScript();
        using var temp = new TempDirectory();
        var cluster = Path.Combine(temp.Path, "slurm");
        Shell(script, "start", cluster);
        try
        {
            var conf = Path.Combine(cluster, "slurm.conf");
            var runs = Path.Combine(temp.Path, "runs");
            var (code, output, err) = Run("study", "--runs-dir", runs, "--name", "array", "--envs", "classic/cartpole", "--archs", "instant,pipelined", "--seeds", "1", "--steps", "2048", "--eval-episodes", "2", "--slurm");
            Assert.True(code == PiperlApp.Success, err + output);
            var folder = Path.Combine(runs, "array");
            var array = Path.Combine(folder, "slurm.sbatch");

            Assert.Contains("Submitted batch job", Sbatch(conf, array), StringComparison.Ordinal);
            (code, output, err) = Run("study", "gather", folder);
            Assert.True(code == PiperlApp.Success, err + output);
            Assert.Contains("| classic/cartpole | 1 | instant | 0 | 1 |", output, StringComparison.Ordinal);
            Assert.Contains("| classic/cartpole | 1 | pipelined | 3 | 1 |", output, StringComparison.Ordinal);
            (code, output, err) = Run("runs", "--runs-dir", runs, "--filter", "status=finished");
            Assert.True(code == PiperlApp.Success, err + output);
            Assert.Contains("2 run(s)", output, StringComparison.Ordinal);

            // A resubmitted array resumes: both runs have finished, so each task exits at once.
            Sbatch(conf, array);
            var logs = Directory.GetFiles(Path.Combine(folder, "slurm-logs")).Select(File.ReadAllText).ToList();
            Assert.Equal(4, logs.Count);
            Assert.Equal(2, logs.Count(l => l.Contains("has finished", StringComparison.Ordinal)));
        }
        finally
        {
            Shell(script, "stop", cluster);
        }
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "slurm-local.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("scripts/slurm-local.sh not found above the test assembly");
    }

    // Submits and waits for the whole array to end; returns sbatch's output.
    private static string Sbatch(string conf, string array) => Shell("sbatch", "--wait", array, conf);

    private static string Shell(string program, string first, string second, string? slurmConf = null)
    {
        var start = new ProcessStartInfo(program, [first, second]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (slurmConf is not null)
        {
            start.Environment["SLURM_CONF"] = slurmConf;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {first} {second} exited with {process.ExitCode}: {stderr.Result}{stdout}");
        return stdout;
    }
}
