using System.CommandLine;
using System.Globalization;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Training;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl eval RUN</c>: evaluates a finished run's final actor.</summary>
internal static class EvalCommand
{
    /// <summary>Creates the <c>eval</c> command.</summary>
    public static Command Create()
    {
        var runArg = new Argument<string>("RUN") { Description = "A run folder, or a run name under --runs-dir." };
        var episodes = new Option<int>("--episodes") { Description = "Episodes, each sampled and greedy.", DefaultValueFactory = _ => 100 };
        var runsDir = new Option<string>("--runs-dir") { Description = "Folder of run folders.", DefaultValueFactory = _ => RunStore.DefaultRoot };
        var command = new Command("eval", "Evaluate a run's final actor for N episodes (sampled and greedy), with its delay.") { runArg, episodes, runsDir };
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
            var c = CultureInfo.InvariantCulture;
            output.WriteLine($"Run {run.Name}: {config.Arch} on {config.Env}, tau {config.Tau}, delay {config.Tau.DescribeTicks(plan.DelayTicks)}");
            output.WriteLine(string.Create(c, $"sampled: mean {sampled.Mean:0.00} ± {sampled.Std:0.00} over {sampled.Returns.Count} episodes ({sampled.Truncated} truncated)"));
            output.WriteLine(string.Create(c, $"greedy:  mean {greedy.Mean:0.00} ± {greedy.Std:0.00} over {greedy.Returns.Count} episodes ({greedy.Truncated} truncated)"));
            return PiperlApp.Success;
        });
        return command;
    }
}
