using System.CommandLine;
using PipeRL.Bench.EnvBenchmarks;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl bench envs</c>: env steps per second of every registered env family under a random policy.</summary>
internal static class BenchEnvsCommand
{
    /// <summary>Creates the <c>envs</c> sub-command of <c>bench</c>.</summary>
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds")
        {
            Description = "Timed wall-clock seconds per row (after a warm-up of a tenth of that).",
            DefaultValueFactory = _ => 2.0,
        };
        var threads = new Option<int[]>("--threads")
        {
            Description = "Thread counts for the vector-env rows, for example --threads 1 2.",
            DefaultValueFactory = _ => [1, 2],
            AllowMultipleArgumentsPerToken = true,
        };
        var filter = new Option<string?>("--filter")
        {
            Description = "Only rows whose env id contains this text (for example mujoco, or hopper).",
        };
        var command = new Command("envs", "Env steps per second under a random policy, resets included, on 1 and more threads.")
        {
            seconds,
            threads,
            filter,
        };
        command.SetAction(parseResult =>
        {
            var duration = parseResult.GetValue(seconds);
            var threadCounts = parseResult.GetValue(threads) ?? [1];
            if (!(duration > 0) || duration > 600)
            {
                throw new UsageException($"--seconds must be in (0, 600], got {duration}.");
            }

            if (threadCounts.Length == 0 || Array.Exists(threadCounts, t => t < 1 || t > 256))
            {
                throw new UsageException($"--threads takes thread counts from 1 to 256, got '{string.Join(" ", threadCounts)}'.");
            }

            Run(parseResult.InvocationConfiguration.Output, TimeSpan.FromSeconds(duration), threadCounts, parseResult.GetValue(filter));
            return PiperlApp.Success;
        });
        return command;
    }

    private static void Run(TextWriter output, TimeSpan duration, int[] threads, string? filter)
    {
        EnvBenchmarkReport.WriteHeader(output, duration);
        var rows = 0;
        foreach (var suite in EnvBenchmarkSuites.All)
        {
            if (suite.Unavailable is { } reason)
            {
                if (filter is null || suite.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
                {
                    EnvBenchmarkReport.WriteUnavailable(output, suite.Name, reason);
                }

                continue;
            }

            EnvBenchmarkResult? baseline = null;
            foreach (var benchmark in suite.Cases(threads))
            {
                if (filter is not null && !benchmark.Env.Contains(filter, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var result = EnvBenchmarkRunner.Run(benchmark, duration);
                baseline = baseline?.Case.Env == benchmark.Env ? baseline : result;
                EnvBenchmarkReport.WriteRow(output, result, baseline);
                output.Flush();
                rows++;
            }
        }

        if (rows == 0 && filter is not null)
        {
            throw new UsageException($"No env benchmark matches --filter '{filter}'.");
        }

        EnvBenchmarkReport.WriteLegend(output);
    }
}
