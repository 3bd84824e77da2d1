using System.CommandLine;
using System.Globalization;
using PipeRL.Bench.Harness;
using PipeRL.Bench.Speedup;
using PipeRL.Pipeline.Execution;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl bench speedup</c>: the paper's Figure 1a (pipelined tick vs sequential forward pass by depth) on this machine.</summary>
internal static class BenchSpeedupCommand
{
    /// <summary>Creates the <c>speedup</c> sub-command of <c>bench</c>.</summary>
    public static Command Create()
    {
        var depths = new Option<int[]>("--depths") { Description = "Depths (dense layers, the head included), e.g. --depths 2 11 21.", DefaultValueFactory = _ => [.. SpeedupOptions.PaperDepths], AllowMultipleArgumentsPerToken = true };
        var width = new Option<int>("--width") { Description = "Width of the hidden layers.", DefaultValueFactory = _ => 256 };
        var observation = new Option<int>("--observation") { Description = "Observation size.", DefaultValueFactory = _ => 21 };
        var actions = new Option<int>("--actions") { Description = "Action dimensions of the Gaussian head.", DefaultValueFactory = _ => 8 };
        var batch = new Option<int>("--batch") { Description = "Envs per tick.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Threads of the parallel tick's pool.", DefaultValueFactory = _ => 2 };
        var implementations = new Option<string[]>("--implementations") { Description = $"Tick implementations to measure ({string.Join(", ", TickExecutors.Names)}).", DefaultValueFactory = _ => [.. TickExecutors.Names], AllowMultipleArgumentsPerToken = true };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed repetitions per case (median and spread are over these).", DefaultValueFactory = _ => 9 };
        var warmupMs = new Option<int>("--warmup-ms") { Description = "Warm-up milliseconds per case (longer than the parallel tick's first quarter second of timing checks, made while the code is still being compiled).", DefaultValueFactory = _ => 300 };
        var repetitionMs = new Option<int>("--repetition-ms") { Description = "Minimum milliseconds per repetition.", DefaultValueFactory = _ => 20 };
        var pacedMs = new Option<double>("--paced-ms") { Description = "Milliseconds between paced ticks (0 skips the paced measurement).", DefaultValueFactory = _ => 2.0 };
        var pacedTicks = new Option<int>("--paced-ticks") { Description = "Paced ticks per implementation and depth.", DefaultValueFactory = _ => 60 };
        var denseLimit = new Option<int>("--dense-limit-mb") { Description = "Largest fused dense weight built (MB); deeper networks skip fused-dense.", DefaultValueFactory = _ => 512 };
        var output = new Option<string>("--out") { Description = "Folder for speedup.csv, speedup.png and speedup.svg.", DefaultValueFactory = _ => Path.Combine("runs", "speedup") };
        var command = new Command("speedup", "The paper's Figure 1a here: speed-up of each pipelined tick implementation over the sequential forward pass, by depth; table, CSV and plot.")
        {
            depths, width, observation, actions, batch, threads, implementations, repetitions, warmupMs, repetitionMs, pacedMs, pacedTicks, denseLimit, output,
        };
        command.SetAction(parseResult =>
        {
            var options = new SpeedupOptions
            {
                Depths = parseResult.GetValue(depths) ?? [],
                Width = parseResult.GetValue(width),
                Observation = parseResult.GetValue(observation),
                Actions = parseResult.GetValue(actions),
                Batch = parseResult.GetValue(batch),
                Threads = parseResult.GetValue(threads),
                Implementations = parseResult.GetValue(implementations) ?? [],
                PacedInterval = TimeSpan.FromMilliseconds(parseResult.GetValue(pacedMs)),
                PacedTicks = parseResult.GetValue(pacedTicks),
                DenseLimitBytes = (long)parseResult.GetValue(denseLimit) << 20,
            };
            var reps = parseResult.GetValue(repetitions);
            var warm = parseResult.GetValue(warmupMs);
            var repMs = parseResult.GetValue(repetitionMs);
            Check(options, reps, warm, repMs, parseResult.GetValue(pacedMs));
            var folder = parseResult.GetValue(output)!;
            var text = parseResult.InvocationConfiguration.Output;
            text.WriteLine("piperl bench speedup");
            BenchEnvironment.Capture().Write(text);
            text.WriteLine();
            var rows = SpeedupBench.Run(new BenchRunner(reps, TimeSpan.FromMilliseconds(warm), TimeSpan.FromMilliseconds(repMs)), options, text);
            text.WriteLine();
            SpeedupReport.Write(rows, options, text);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "speedup.csv"), SpeedupReport.Csv(rows));
            SpeedupPlot.Save(rows, options, Path.Combine(folder, "speedup.png"), Path.Combine(folder, "speedup.svg"));
            text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Written: {Path.Combine(folder, "speedup.csv")}, speedup.png, speedup.svg"));
            return PiperlApp.Success;
        });
        return command;
    }

    private static void Check(SpeedupOptions o, int reps, int warm, int repMs, double pacedMs)
    {
        if (o.Depths.Count == 0 || o.Depths.Any(d => d < 2 || d > 1000))
        {
            throw new UsageException($"--depths takes depths from 2 to 1000, got '{string.Join(" ", o.Depths)}'.");
        }

        if (o.Width < 1 || o.Observation < 1 || o.Actions < 1 || o.Batch < 1)
        {
            throw new UsageException("--width, --observation, --actions and --batch must be at least 1.");
        }

        if (o.Threads < 2 || o.Threads > 64)
        {
            throw new UsageException($"--threads must be in [2, 64] (the parallel tick's pool), got {o.Threads}.");
        }

        if (o.Implementations.Count == 0 || o.Implementations.Any(i => !TickExecutors.Names.Contains(i)))
        {
            throw new UsageException($"--implementations takes {string.Join(", ", TickExecutors.Names)}, got '{string.Join(" ", o.Implementations)}'.");
        }

        if (reps < 1 || warm < 0 || repMs < 0 || !(pacedMs >= 0) || pacedMs > 1000 || o.PacedTicks < 1 || o.DenseLimitBytes < 0)
        {
            throw new UsageException("--repetitions and --paced-ticks must be at least 1, --warmup-ms, --repetition-ms and --dense-limit-mb 0 or more, --paced-ms in [0, 1000].");
        }
    }
}
