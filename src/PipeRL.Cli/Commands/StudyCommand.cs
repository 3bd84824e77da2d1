using System.CommandLine;
using System.Globalization;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Studies;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl study</c>: the delay study, architectures × envs × seeds, reported as mean ± spread over seeds.</summary>
internal static class StudyCommand
{
    /// <summary>Creates the <c>study</c> command and its <c>report</c> subcommand.</summary>
    public static Command Create()
    {
        var d = new StudyOptions();
        var envs = new Option<string>("--envs") { Description = "Comma-separated env ids.", DefaultValueFactory = _ => string.Join(',', d.Envs) };
        var archs = new Option<string>("--archs") { Description = "Comma-separated actor architectures; 'instant' is the baseline of the normalised columns.", DefaultValueFactory = _ => string.Join(',', d.Architectures) };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds (integers).", DefaultValueFactory = _ => string.Join(',', d.Seeds) };
        var steps = new Option<long>("--steps") { Description = "Training ticks per run (tau = 1, so also env steps).", DefaultValueFactory = _ => d.Steps };
        var preset = new Option<string>("--preset") { Description = "Hyperparameter preset of every run: small or paper.", DefaultValueFactory = _ => d.Preset };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "Evaluation episodes per run (sampled and greedy).", DefaultValueFactory = _ => d.EvalEpisodes };
        var threads = new Option<int>("--threads") { Description = "Threads stepping each run's environments.", DefaultValueFactory = _ => d.Threads };
        var parallel = new Option<int>("--parallel") { Description = "Runs trained at the same time, each on its own core.", DefaultValueFactory = _ => d.Parallel };
        var runsDir = new Option<string>("--runs-dir") { Description = "Folder of run folders; the study writes runs/study[-N]/.", DefaultValueFactory = _ => RunStore.DefaultRoot };
        var command = new Command(
            "study",
            "Train every architecture on every env for every seed at tau = 1 (default: Breakout and Space Invaders; instant, pipelined, temporal-skip-aug; seeds 1, 2; 2M ticks each: about 50 core-minutes), then write study.md (returns over seeds, normalised by instant) and curves.csv.")
        {
            envs, archs, seeds, steps, preset, evalEpisodes, threads, parallel, runsDir,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var options = new StudyOptions
            {
                Envs = List(parseResult.GetValue(envs)!),
                Architectures = List(parseResult.GetValue(archs)!),
                Seeds = [.. List(parseResult.GetValue(seeds)!).Select(Seed)],
                Steps = parseResult.GetValue(steps),
                Preset = parseResult.GetValue(preset)!,
                EvalEpisodes = parseResult.GetValue(evalEpisodes),
                Threads = parseResult.GetValue(threads),
                Parallel = parseResult.GetValue(parallel),
            };
            if (options.Parallel < 1)
            {
                throw new UsageException($"--parallel must be at least 1, got {options.Parallel}.");
            }

            var plans = StudyRunner.Plan(options);
            var (folder, table) = StudyRunner.Run(plans, new RunStore(parseResult.GetValue(runsDir)!), output, options.Parallel);
            output.WriteLine();
            output.Write(table);
            output.WriteLine($"Table and learning curves: {folder}/study.md, {folder}/curves.csv");
            return PiperlApp.Success;
        });

        var folderArg = new Argument<string>("FOLDER") { Description = "A study folder (its sub-folders are run folders)." };
        var report = new Command("report", "Rewrite study.md and curves.csv from the finished runs in a study folder and print the table.") { folderArg };
        report.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var folder = parseResult.GetValue(folderArg)!;
            output.Write(StudyRunner.Report(folder));
            output.WriteLine($"Written: {Path.Combine(folder, "study.md")}, {Path.Combine(folder, "curves.csv")}");
            return PiperlApp.Success;
        });
        command.Subcommands.Add(report);
        return command;
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static int Seed(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : throw new UsageException($"--seeds takes comma-separated integers; '{text}' is not one.");
}
