using System.CommandLine;
using PipeRL.Bench.Harness;
using PipeRL.Bench.Pipeline;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl bench pipeline</c>: one pipeline tick, sequential versus parallel layers.</summary>
internal static class BenchPipelineCommand
{
    /// <summary>Creates the <c>pipeline</c> sub-command of <c>bench</c>.</summary>
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "Threads of the parallel executor's worker pool.", DefaultValueFactory = _ => 2 };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed repetitions per case.", DefaultValueFactory = _ => 15 };
        var warmupMs = new Option<int>("--warmup-ms") { Description = "Warm-up milliseconds per case.", DefaultValueFactory = _ => 300 };
        var repetitionMs = new Option<int>("--repetition-ms") { Description = "Minimum milliseconds per repetition.", DefaultValueFactory = _ => 30 };
        var command = new Command("pipeline", "One tick of N-layer width-w pipelined MLPs at batch 1 and 64 (sequential vs parallel layers), and a batch-1 tick of the authors' MinAtar CNN actors.")
        {
            threads, repetitions, warmupMs, repetitionMs,
        };
        command.SetAction(parseResult =>
        {
            var t = parseResult.GetValue(threads);
            var reps = parseResult.GetValue(repetitions);
            var warm = parseResult.GetValue(warmupMs);
            var repMs = parseResult.GetValue(repetitionMs);
            if (t < 2 || t > 64)
            {
                throw new UsageException($"--threads must be in [2, 64] (the parallel pool's size), got {t}.");
            }

            if (reps < 1 || warm < 0 || repMs < 0)
            {
                throw new UsageException("--repetitions must be at least 1 and --warmup-ms and --repetition-ms 0 or more.");
            }

            var runner = new BenchRunner(reps, TimeSpan.FromMilliseconds(warm), TimeSpan.FromMilliseconds(repMs));
            PipelineBench.Run(runner, t).Write(parseResult.InvocationConfiguration.Output);
            return PiperlApp.Success;
        });
        return command;
    }
}
