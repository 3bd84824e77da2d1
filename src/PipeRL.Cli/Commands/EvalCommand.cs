using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PipeRL.Experiments;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Studies;
using PipeRL.Experiments.Training;

namespace PipeRL.Cli.Commands;

/// <summary>
/// <c>piperl eval RUN</c>: evaluates a finished run's final actor and writes the result beside the run's own
/// <c>evaluation.json</c> (which marks the run finished and feeds the registry, so it is never overwritten).
/// </summary>
internal static class EvalCommand
{
    /// <summary>Creates the <c>eval</c> command.</summary>
    public static Command Create()
    {
        var runArg = new Argument<string>("RUN") { Description = "A run folder, or a run name under --runs-dir." };
        var episodes = new Option<int>("--episodes") { Description = "Episodes, each sampled and greedy.", DefaultValueFactory = _ => 100 };
        var runsDir = new Option<string>("--runs-dir") { Description = "Folder of run folders.", DefaultValueFactory = _ => RunStore.DefaultRoot };
        var outFile = new Option<string?>("--out") { Description = "Where to write the result as JSON (evaluation.json's schema). [default: RUN/eval-<episodes>ep.json]" };
        var command = new Command("eval", "Evaluate a run's final actor for N episodes (sampled and greedy), with its delay; writes the result as JSON.") { runArg, episodes, runsDir, outFile };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var count = parseResult.GetValue(episodes);
            if (count is < 1 or > ConfigLimits.MaxEvalEpisodes)
            {
                throw new UsageException($"--episodes must lie in [1, {ConfigLimits.MaxEvalEpisodes:N0}] (the episodes run at once), got {count}.");
            }

            var run = new RunStore(parseResult.GetValue(runsDir)!).Open(parseResult.GetValue(runArg)!);
            if (!run.HasParameters)
            {
                throw new UsageException($"Run {run.Path} has not finished (no final.params); finish it with 'piperl train --resume {run.Path}'.");
            }

            var config = run.ReadConfig();
            var plan = TrainPlan.Prepare(config);
            var actor = ActorFactory.Create(plan.Architecture, (ulong)config.Seed, config.Actor);
            var normalizer = plan.NewObservationNormalizer();
            RunParameters.LoadActor(run.ParametersPath, actor, normalizer);
            var (sampled, greedy) = TrainPlan.Evaluate(config, actor, count, normalizer);
            var path = parseResult.GetValue(outFile) ?? Path.Combine(run.Path, $"eval-{count}ep.json");
            var summary = (Trained(run) ?? RunSummary.Of(config, plan.DelayTicks, config.EnvSteps(config.TrainTicks()), 0, sampled, greedy)) with { Sampled = sampled, Greedy = greedy };
            try
            {
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(summary, ConfigJson.ReportOptions) + "\n");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"Cannot write the evaluation to {path}: {ex.Message.TrimEnd('.')}; choose another file with --out.");
            }

            var c = CultureInfo.InvariantCulture;
            output.WriteLine($"Run {run.Name}: {config.Arch} on {config.Env}, tau {config.Tau}, delay {config.Tau.DescribeTicks(plan.DelayTicks)}");
            output.WriteLine(string.Create(c, $"sampled: mean {sampled.Mean:0.00} ± {sampled.Std:0.00} over {sampled.Returns.Count} episodes ({sampled.Truncated} truncated)"));
            output.WriteLine(string.Create(c, $"greedy:  mean {greedy.Mean:0.00} ± {greedy.Std:0.00} over {greedy.Returns.Count} episodes ({greedy.Truncated} truncated)"));
            output.WriteLine($"Wrote {path}");
            return PiperlApp.Success;
        });
        return command;
    }

    // The run's own summary keeps its training figures (ticks, env steps, seconds); null when it cannot be read.
    private static RunSummary? Trained(RunFolder run)
    {
        try
        {
            return StudyRun.Load(run)?.Summary;
        }
        catch (UserInputException)
        {
            return null;
        }
    }
}
