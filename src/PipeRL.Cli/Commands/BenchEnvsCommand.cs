using System.CommandLine;
using PipeRL.Bench.EnvBenchmarks;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl bench envs</c>: env steps per second of every registered env family under a random policy.</summary>
internal static class BenchEnvsCommand
{
    /// <summary>The most sub-envs <c>--num-envs</c> takes.</summary>
    private const int MaxVectorEnvs = 4096;

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
        var numEnvs = new Option<int?>("--num-envs")
        {
            Description = "Sub-envs of the vector-env rows (default: 64 for MinAtar, 32 for MuJoCo as in the mujoco-ppo preset; --num-envs 2 gives MuJoCo one per thread).",
        };
        var filter = new Option<string?>("--filter")
        {
            Description = "Only rows whose env id contains this text (for example mujoco, or hopper).",
        };
        var command = new Command("envs", "Env steps per second under a random policy, resets included, on 1 and more threads.")
        {
            seconds,
            threads,
            numEnvs,
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

            var vectorEnvs = parseResult.GetValue(numEnvs);
            if (vectorEnvs is < 1 or > MaxVectorEnvs)
            {
                throw new UsageException($"--num-envs must be from 1 to {MaxVectorEnvs}, got {vectorEnvs}.");
            }

            Run(parseResult.InvocationConfiguration.Output, TimeSpan.FromSeconds(duration), threadCounts, vectorEnvs, parseResult.GetValue(filter));
            return PiperlApp.Success;
        });
        return command;
    }

    private static void Run(TextWriter output, TimeSpan duration, int[] threads, int? vectorEnvs, string? filter)
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

            var cases = suite.Cases(threads, vectorEnvs)
                .Where(c => filter is null || c.Env.Contains(filter, StringComparison.OrdinalIgnoreCase))
                .ToArray();
            foreach (var env in cases.Select(c => c.Env).Distinct())
            {
                // The rows of one env in turn, so that their ratios compare like with like on a shared machine.
                var results = EnvBenchmarkRunner.RunInterleaved([.. cases.Where(c => c.Env == env)], duration);
                foreach (var result in results)
                {
                    EnvBenchmarkReport.WriteRow(output, result, results);
                }

                output.Flush();
                rows += results.Count;
            }
        }

        if (rows == 0 && filter is not null)
        {
            throw new UsageException($"No env benchmark matches --filter '{filter}'.");
        }

        EnvBenchmarkReport.WriteLegend(output);
    }
}
