using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PipeRL.Envs.MuJoCo;
using PipeRL.Experiments.Runs;
using PipeRL.Tensors.IO;
using PipeRL.Tests;
using Xunit.Abstractions;

namespace PipeRL.Cli.Tests.Commands;

/// <summary>
/// The kill test: <c>piperl train</c> in its own process, killed with SIGKILL several times (at random moments of
/// training, during checkpoint writes and during the final evaluation) and resumed with <c>--resume</c> after each kill,
/// ends with the bytes of a run that was never killed: <c>final.params</c> identical, <c>metrics.csv</c> identical but
/// for its wall-clock columns, the same evaluation returns; PPO and SAC (with its replay written beside the checkpoint),
/// on MinAtar and on MuJoCo. <c>PIPERL_KILL_SEED</c> picks other random moments.
/// </summary>
public sealed class TrainCommandKillTests(ITestOutputHelper output)
{
    private const string Name = "killed";

    // Three checkpoints apart, so a kill at a random moment usually leaves updates and rows to redo. SAC checkpoints every
    // 1,000 ticks and learns from tick 1,000 on, so every later checkpoint also writes replay rows beside it.
    private const string Ppo = "--algo ppo --preset small --steps 30720 --checkpoint-every 3";
    private const string Sac = "--algo sac --steps 6000 --learning-starts 1000 --report-interval 500 --checkpoint-every 2";
    private const string SacCounters = "sac.ticks_updates_learn_after";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);


    private enum Moment
    {
        Random,
        CheckpointWrite,
        FinalEvaluation,
    }

    [SkippableTheory]
    [Trait("Category", "Long")]
    [InlineData("minatar/breakout", "temporal-skip-aug", 1000, Ppo)]
    [InlineData("mujoco/hopper", "pipelined", 200, Ppo + " --normalize-observations --normalize-rewards")]
    [InlineData("mujoco/hopper", "temporal-skip-aug", 200, Sac + " --network small")]
    [InlineData("minatar/breakout", "pipelined", 1000, Sac + " --preset minatar-dsac-small --batch-size 32")]
    public void A_run_killed_and_resumed_again_and_again_ends_with_the_bytes_of_a_run_never_killed(string env, string arch, int evalEpisodes, string options)
    {
        if (env.StartsWith("mujoco/", StringComparison.Ordinal))
        {
            var unavailable = MuJoCoEnvs.UnavailableReason;
            Skip.If(unavailable is not null, unavailable);
        }

        // The evaluation is long enough (about a second) to be killed in.
        string[] training =
        [
            "train", "--env", env, "--arch", arch, "--seed", "1", "--threads", "1",
            "--eval-episodes", evalEpisodes.ToString(CultureInfo.InvariantCulture), "--name", Name,
            .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ];
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PIPERL_KILL_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 17;
        var random = new Random(seed);
        output.WriteLine($"{env}, {arch} {options}: kill seed {seed}");
        using var temp = new TempDirectory();
        var (wholeRuns, killedRuns) = (Path.Combine(temp.Path, "whole"), Path.Combine(temp.Path, "killed"));
        var clock = Stopwatch.StartNew();
        var finished = Start([.. training, "--runs-dir", wholeRuns]);
        Assert.True(finished.Process.WaitForExit(Patience), "the uninterrupted run did not finish");
        Assert.True(finished.Process.ExitCode == 0, finished.Log());
        output.WriteLine($"uninterrupted run: {clock.Elapsed.TotalSeconds:F1} s");

        var run = new RunFolder(Path.Combine(killedRuns, Name));
        Moment[] plan = [Moment.Random, Moment.CheckpointWrite, Moment.Random, Moment.CheckpointWrite, Moment.Random, Moment.FinalEvaluation];
        var kills = 0;
        string[] arguments = [.. training, "--runs-dir", killedRuns];
        foreach (var moment in plan)
        {
            // A kill meant for a checkpoint write that comes just after one is retried: the moment is the point.
            for (var attempt = 1; ; attempt++)
            {
                var landed = KillAt(arguments, run, moment, random);
                arguments = ["train", "--resume", run.Path];
                kills++;
                output.WriteLine($"kill {kills} ({moment}): {landed.Description}");
                if (landed.AsMeant || attempt == 3)
                {
                    Assert.True(landed.AsMeant, $"{moment}: the kill did not land as meant in {attempt} attempts");
                    break;
                }
            }
        }

        var last = Start(arguments);
        Assert.True(last.Process.WaitForExit(Patience), "the last resume did not finish");
        Assert.True(last.Process.ExitCode == 0, last.Log());
        output.WriteLine($"{kills} kills, then a resume to the end: {last.Lines.FirstOrDefault(l => l.StartsWith("Resumed", StringComparison.Ordinal))}");

        var whole = new RunFolder(Path.Combine(wholeRuns, Name));
        Assert.Equal(File.ReadAllBytes(whole.ParametersPath), File.ReadAllBytes(run.ParametersPath));
        var (expected, actual) = (WithoutWallClock(whole), WithoutWallClock(run));
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == actual[i], $"metrics.csv line {i + 1}: {actual[i]} instead of {expected[i]}");
        }

        Assert.Equal(Returns(whole), Returns(run));
        Assert.Empty(Directory.GetFiles(run.Path, "*.tmp"));
        output.WriteLine($"final.params ({new FileInfo(run.ParametersPath).Length:N0} bytes) identical; metrics.csv ({expected.Length} lines) identical but for {string.Join(", ", MetricsWriter.WallClockColumns)}; evaluation returns identical");
    }

    /// <summary>Starts <paramref name="arguments"/>, kills the process at <paramref name="moment"/> and says where the kill landed.</summary>
    private static Landing KillAt(string[] arguments, RunFolder run, Moment moment, Random random)
    {
        var training = Start(arguments);
        var process = training.Process;
        var temporary = Path.Combine(run.Path, $"checkpoint.ckpt.{process.Id}.tmp");
        var started = Stopwatch.StartNew();
        string? half = null;
        switch (moment)
        {
            case Moment.Random:
                Assert.True(training.WaitForLine(l => l.Contains(" tick ", StringComparison.Ordinal), Patience), training.Log());
                Thread.Sleep(TimeSpan.FromSeconds(0.2 + (2.8 * random.NextDouble())));
                process.Kill();
                break;
            case Moment.CheckpointWrite:
                // The temporary file exists only while a checkpoint is written: kill once a random share of it is there.
                var target = Math.Max(1, (long)((run.HasCheckpoint ? Length(run.CheckpointPath) : 0) * (0.05 + (0.9 * random.NextDouble()))));
                while (!(File.Exists(temporary) && Length(temporary) >= target))
                {
                    Assert.False(process.HasExited || started.Elapsed > Patience, $"no checkpoint write was seen: {training.Log()}");
                    Thread.Yield();
                }

                process.Kill();
                break;
            case Moment.FinalEvaluation:
                Assert.True(training.WaitForLine(l => l.StartsWith("[100.0%]", StringComparison.Ordinal), Patience), training.Log());
                Thread.Sleep(TimeSpan.FromMilliseconds(20 + random.Next(300)));
                process.Kill();
                break;
        }

        process.WaitForExit();
        var seconds = started.Elapsed.TotalSeconds;
        if (File.Exists(temporary))
        {
            var whole = run.HasCheckpoint ? $" (a whole one has {Length(run.CheckpointPath):N0})" : string.Empty;
            half = $"{Length(temporary):N0} bytes of checkpoint.ckpt.{process.Id}.tmp written{whole}";
        }

        var removed = training.Lines.FirstOrDefault(l => l.StartsWith("Removed ", StringComparison.Ordinal));
        var resumedAt = training.Lines.FirstOrDefault(l => l.StartsWith("Resumed", StringComparison.Ordinal)) ?? "started the run";
        var lastRow = File.ReadLines(run.MetricsPath).Last();
        var checkpoint = run.HasCheckpoint ? Checkpoint.Load(run.CheckpointPath) : null;
        long? savedUpdate = checkpoint is null ? null
            : checkpoint.Integers.TryGetValue(SacCounters, out var sac) ? sac[1] : checkpoint.GetIntegers("ppo.updates_ticks")[0];
        var rowsPast = checkpoint is null ? 0 : CountLines(run.MetricsPath, checkpoint.GetIntegers("run.metrics_bytes_wall_ms")[0]);
        var where = moment switch
        {
            Moment.CheckpointWrite => half ?? "just after a checkpoint write (no temporary file left)",
            Moment.FinalEvaluation => run.HasParameters ? "after the evaluation (final.params written)" : "during the final evaluation (no evaluation.json, no final.params)",
            _ => $"{seconds:F2} s after the process started",
        };
        var asMeant = moment switch
        {
            Moment.CheckpointWrite => half is not null,
            Moment.FinalEvaluation => !run.HasParameters && !File.Exists(run.EvaluationPath),
            _ => !run.HasParameters,
        };
        return new Landing(
            asMeant,
            $"{where}; the process had {resumedAt.TrimEnd('.')}{(removed is null ? string.Empty : " and removed the temporary file of the killed write")}; last metrics row '{Shorten(lastRow)}'; "
            + $"the checkpoint to resume from is at update {savedUpdate?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {rowsPast} metrics rows past it to redo");
    }

    // 0 for a file renamed away between the two looks.
    private static long Length(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    private static int CountLines(string path, long fromByte)
    {
        using var stream = File.OpenRead(path);
        stream.Position = fromByte;
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is not null)
        {
            count++;
        }

        return count;
    }

    private static string Shorten(string row) => string.Join(',', row.Split(',').Take(3));

    private static string[] WithoutWallClock(RunFolder run)
    {
        var lines = File.ReadAllLines(run.MetricsPath);
        var header = lines[0].Split(',');
        var wall = MetricsWriter.WallClockColumns.Select(c => Array.IndexOf(header, c)).ToArray();
        Assert.DoesNotContain(-1, wall);
        return [.. lines.Select(line => string.Join(',', line.Split(',').Select((cell, i) => wall.Contains(i) ? string.Empty : cell)))];
    }

    private static string Returns(RunFolder run)
    {
        using var evaluation = JsonDocument.Parse(File.ReadAllText(run.EvaluationPath));
        var root = evaluation.RootElement;
        return $"{root.GetProperty("sampled").GetProperty("returns")} {root.GetProperty("greedy").GetProperty("returns")}";
    }

    private static Piperl Start(string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "piperl.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var training = new Piperl(Process.Start(start) ?? throw new InvalidOperationException("piperl train did not start"));
        training.Process.OutputDataReceived += (_, e) => training.Add(e.Data);
        training.Process.ErrorDataReceived += (_, e) => training.Add(e.Data);
        training.Process.BeginOutputReadLine();
        training.Process.BeginErrorReadLine();
        return training;
    }

    private sealed record Landing(bool AsMeant, string Description);

    /// <summary>A piperl process and the lines it printed so far.</summary>
    private sealed class Piperl(Process process)
    {
        private readonly List<string> _lines = [];

        public Process Process { get; } = process;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add(line);
                Monitor.PulseAll(_lines);
            }
        }

        public bool WaitForLine(Func<string, bool> match, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            lock (_lines)
            {
                while (!_lines.Any(match))
                {
                    var left = timeout - clock.Elapsed;
                    if (left <= TimeSpan.Zero || Process.HasExited)
                    {
                        return _lines.Any(match);
                    }

                    Monitor.Wait(_lines, TimeSpan.FromMilliseconds(Math.Min(left.TotalMilliseconds, 100)));
                }

                return true;
            }
        }

        public string Log() => string.Join('\n', Lines.TakeLast(20));
    }
}
