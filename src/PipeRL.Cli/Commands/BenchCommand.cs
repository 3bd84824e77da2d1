using System.CommandLine;
using PipeRL.Bench.Engine;
using PipeRL.Bench.Harness;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl bench</c>: measured throughput of PipeRL's parts on this machine.</summary>
internal static class BenchCommand
{
    /// <summary>Creates the <c>bench</c> command and its sub-commands.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure PipeRL's speed on this machine (engine, environments, pipelines).");
        bench.Subcommands.Add(BenchEnvsCommand.Create());
        bench.Subcommands.Add(CreateEngine());
        bench.Subcommands.Add(CreateLayers());
        bench.Subcommands.Add(BenchPipelineCommand.Create());
        bench.Subcommands.Add(BenchSpeedupCommand.Create());
        bench.Subcommands.Add(BenchSacCommand.Create());
        return bench;
    }

    private static Command CreateEngine()
    {
        var json = new Option<string?>("--json") { Description = "Also write the figures to this JSON file." };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed repetitions per case (median and spread are over these).", DefaultValueFactory = _ => 15 };
        var warmupMs = new Option<int>("--warmup-ms") { Description = "Warm-up milliseconds per case before timing.", DefaultValueFactory = _ => 400 };
        var repetitionMs = new Option<int>("--repetition-ms") { Description = "Minimum milliseconds per repetition (operations are repeated to fill it).", DefaultValueFactory = _ => 40 };
        var command = new Command("engine", "Tensor engine: MLP and MinAtar-CNN inference at batch 1 and training steps at batch 64/256, 1 and 2 threads.")
        {
            json, repetitions, warmupMs, repetitionMs,
        };
        command.SetAction(parseResult =>
        {
            int reps = parseResult.GetValue(repetitions);
            int warm = parseResult.GetValue(warmupMs);
            int repMs = parseResult.GetValue(repetitionMs);
            if (reps < 1)
            {
                throw new UsageException($"--repetitions must be at least 1, got {reps}.");
            }

            if (warm < 0 || repMs < 0)
            {
                throw new UsageException($"--warmup-ms and --repetition-ms must be 0 or more, got {warm} and {repMs}.");
            }

            if (parseResult.GetValue(json) is { } target)
            {
                // Checked before the benchmark runs, so a bad path does not cost a whole run.
                RequireWritableFile("--json", target);
            }

            var runner = new BenchRunner(reps, TimeSpan.FromMilliseconds(warm), TimeSpan.FromMilliseconds(repMs));
            var report = EngineBench.Run(runner);
            var output = parseResult.InvocationConfiguration.Output;
            report.Write(output);
            if (parseResult.GetValue(json) is { } path)
            {
                WriteJson(path, report.ToJson());
                output.WriteLine($"JSON written to {path}");
            }

            return PiperlApp.Success;
        });
        return command;
    }

    private static Command CreateLayers()
    {
        var rows = new Option<int[]>("--rows") { Description = "Batch rows (images or samples) per case.", DefaultValueFactory = _ => [256, 1024], AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int[]>("--threads") { Description = "Thread counts for the matrix products.", DefaultValueFactory = _ => [1, 2], AllowMultipleArgumentsPerToken = true };
        var filter = new Option<string?>("--filter") { Description = "Only layers (or nets: critic, actor, skipres) whose name contains this text." };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed repetitions per case.", DefaultValueFactory = _ => 5 };
        var repetitionMs = new Option<int>("--repetition-ms") { Description = "Minimum milliseconds per repetition.", DefaultValueFactory = _ => 100 };
        var command = new Command("layers", "Forward + backward of each layer of the authors' MinAtar networks at 256 and 1024 rows, 1 and 2 threads, in GFLOP/s against the FMA peak.")
        {
            rows, threads, filter, repetitions, repetitionMs,
        };
        command.SetAction(parseResult =>
        {
            int reps = parseResult.GetValue(repetitions);
            int repMs = parseResult.GetValue(repetitionMs);
            int[] rowList = parseResult.GetValue(rows) ?? [];
            int[] threadList = parseResult.GetValue(threads) ?? [];
            if (reps < 1 || repMs < 0 || rowList.Length == 0 || rowList.Any(r => r < 1) || threadList.Length == 0 || threadList.Any(t => t < 1 || t > 64))
            {
                throw new UsageException("--repetitions must be at least 1, --repetition-ms 0 or more, --rows positive and --threads 1 to 64.");
            }

            var runner = new BenchRunner(reps, TimeSpan.FromMilliseconds(2 * repMs), TimeSpan.FromMilliseconds(repMs));
            LayerBench.Run(runner, rowList, threadList, parseResult.GetValue(filter), parseResult.InvocationConfiguration.Output);
            return PiperlApp.Success;
        });
        return command;
    }

    /// <summary>Throws a usage error unless a file can be written at <paramref name="path"/> (its folder is made if missing).</summary>
    internal static void RequireWritableFile(string option, string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UsageException($"{option} '{path}' is a folder; give the path of a file to write.");
        }

        var folder = Path.GetDirectoryName(full);
        while (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            if (File.Exists(folder))
            {
                throw new UsageException($"{option} '{path}': '{folder}' is a file, not a folder.");
            }

            folder = Path.GetDirectoryName(folder);
        }

        if (!string.IsNullOrEmpty(folder))
        {
            // A probe next to the target: a read-only or full folder fails here, not after the benchmark.
            var probe = Path.Combine(folder, $".piperl-probe-{Environment.ProcessId}.tmp");
            try
            {
                File.WriteAllBytes(probe, []);
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"{option} '{path}' cannot be written: {ex.Message}");
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> through a temporary file and a rename, so no half-written file is left.</summary>
    private static void WriteJson(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        string temp = full + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, full, overwrite: true);
    }
}
