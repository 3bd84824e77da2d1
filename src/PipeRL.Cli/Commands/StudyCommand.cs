using System.CommandLine;
using System.Globalization;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Studies;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl study</c>: envs × actors × τ × seeds, one process per run, resumable, reported over seeds.</summary>
internal static class StudyCommand
{
    /// <summary>Creates the <c>study</c> command and its <c>report</c> subcommand.</summary>
    public static Command Create()
    {
        var d = new StudySpec();
        var file = new Option<string>("--file") { Description = "A study file (JSON: name, envs, archs with optional per-actor overrides, taus, seeds, steps, algo, preset, evalEpisodes, threads, parallel, overrides); grid options are then refused." };
        var name = new Option<string>("--name") { Description = "The study folder under --runs-dir; rerunning a study of that name resumes it.", DefaultValueFactory = _ => d.Name };
        var envs = new Option<string>("--envs") { Description = "Comma-separated env ids.", DefaultValueFactory = _ => string.Join(',', d.Envs) };
        var archs = new Option<string>("--archs") { Description = "Comma-separated actor architectures; 'instant' is the baseline of the normalised columns.", DefaultValueFactory = _ => string.Join(',', d.Archs.Select(a => a.Label)) };
        var taus = new Option<string>("--taus") { Description = "Comma-separated tick lengths: whole env steps per tick (2) or 1/M (M ticks per env step).", DefaultValueFactory = _ => string.Join(',', d.Taus) };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds (integers).", DefaultValueFactory = _ => string.Join(',', d.Seeds) };
        var steps = new Option<long>("--steps") { Description = "Training ticks per run.", DefaultValueFactory = _ => d.Steps };
        var algo = new Option<string>("--algo") { Description = "Algorithm of every run: ppo or sac.", DefaultValueFactory = _ => d.Algo };
        var preset = new Option<string?>("--preset") { Description = "Hyperparameter preset of every run (see 'piperl train --help'). [the algorithm's default for each env: on continuous actions mujoco-ppo or mujoco-sac, on discrete ones small or minatar-dsac-small]" };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "Evaluation episodes per run (sampled and greedy).", DefaultValueFactory = _ => d.EvalEpisodes };
        var threads = new Option<int>("--threads") { Description = "Threads stepping each run's environments.", DefaultValueFactory = _ => d.Threads };
        var parallel = new Option<int>("--parallel") { Description = "Runs trained at the same time, one process each (also overrides a study file's).", DefaultValueFactory = _ => d.Parallel };
        var runsDir = new Option<string>("--runs-dir") { Description = "Folder of run folders; the study writes runs/NAME/.", DefaultValueFactory = _ => RunStore.DefaultRoot };
        var slurm = new Option<bool>("--slurm") { Description = $"Train nothing here: prepare the run folders and write runs/NAME/{SlurmArray.FileName}, a Slurm job array with one task per run (--parallel at once); submit it with sbatch, resubmit to resume, then 'piperl study gather runs/NAME'." };
        var command = new Command(
            "study",
            "Train every actor on every env at every tau for every seed (default: Breakout and Space Invaders; instant, pipelined, temporal-skip-aug; tau 1; seeds 1, 2; 2M ticks each), one process per run; rerun to resume (finished runs are skipped, interrupted ones continue from their checkpoint); Ctrl-C stops every run with a checkpoint. Writes study.md and curves.csv.")
        {
            file, name, envs, archs, taus, seeds, steps, algo, preset, evalEpisodes, threads, parallel, runsDir, slurm,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            StudySpec spec;
            if (parseResult.GetValue(file) is { } path)
            {
                var given = new Option[] { envs, archs, taus, seeds, steps, algo, preset, evalEpisodes, threads, name }
                    .Where(o => parseResult.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
                if (given.Count > 0)
                {
                    throw new UsageException($"--file gives the whole study; drop {string.Join(", ", given)} (or put them in the file).");
                }

                spec = StudySpec.Load(path);
                if (parseResult.GetResult(parallel) is { Implicit: false })
                {
                    spec = spec with { Parallel = parseResult.GetValue(parallel) };
                }
            }
            else
            {
                spec = new StudySpec
                {
                    Name = parseResult.GetValue(name)!,
                    Envs = List(parseResult.GetValue(envs)!),
                    Archs = [.. List(parseResult.GetValue(archs)!).Select(StudyArch.Of)],
                    Taus = [.. List(parseResult.GetValue(taus)!).Select(TauOf)],
                    Seeds = [.. List(parseResult.GetValue(seeds)!).Select(Seed)],
                    Steps = parseResult.GetValue(steps),
                    Algo = parseResult.GetValue(algo)!,
                    Preset = parseResult.GetValue(preset),
                    EvalEpisodes = parseResult.GetValue(evalEpisodes),
                    Threads = parseResult.GetValue(threads),
                    Parallel = parseResult.GetValue(parallel),
                };
            }

            var store = new RunStore(parseResult.GetValue(runsDir)!);
            return parseResult.GetValue(slurm) ? WriteSlurmArray(spec, store, output) : Execute(spec, store, output);
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

        var gatherFolder = new Argument<string>("FOLDER") { Description = "A study folder whose runs were trained elsewhere (a Slurm array)." };
        var gather = new Command("gather", "Index every run of a study folder in the run registry as it is now (runs trained by a Slurm array or another machine) and rewrite study.md and curves.csv from the finished ones; 'piperl report FOLDER' then draws the figures.") { gatherFolder };
        gather.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var folder = parseResult.GetValue(gatherFolder)!;
            if (StudyRunner.Gather(folder, output) is { } table)
            {
                output.Write(table);
                output.WriteLine($"Written: {Path.Combine(folder, "study.md")}, {Path.Combine(folder, "curves.csv")}");
            }
            else
            {
                output.WriteLine($"No run of {folder} has finished yet; the registry now shows each run's status ('piperl runs').");
            }

            return PiperlApp.Success;
        });
        command.Subcommands.Add(gather);
        return command;
    }

    /// <summary>
    /// Runs <paramref name="spec"/> (one <c>piperl train</c> process per run) with Ctrl-C and SIGTERM as a clean stop of
    /// every run; prints the outcome and the table. Returns 0, 1 when a run failed, or 128 + the signal number when stopped.
    /// </summary>
    public static int Execute(StudySpec spec, RunStore store, TextWriter output)
    {
        StudyRunner.Plan(spec);
        using var signals = new StopSignals();
        var launcher = ProcessRunLauncher.ForAssembly(typeof(PiperlApp).Assembly.Location);
        var outcome = StudyRunner.Run(spec, store, output, launcher.Launch, signals.Token);
        output.WriteLine();
        if (outcome.Table is { } table)
        {
            output.Write(table);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Study {spec.Name}: {outcome.Finished} trained now, {outcome.Skipped} finished before, {outcome.Stopped} stopped or not started, {outcome.Failed.Count} failed{(outcome.Busy > 0 ? $", {outcome.Busy} left to another process" : string.Empty)}."));
        if (outcome.Table is not null)
        {
            output.WriteLine($"Table and learning curves: {outcome.Folder}/study.md, {outcome.Folder}/curves.csv");
        }

        if (outcome.Failed.Count > 0)
        {
            output.WriteLine($"Failed (see each run's train.log): {string.Join(", ", outcome.Failed)}");
        }

        if (signals.ExitCode != 0 || outcome.Stopped > 0)
        {
            output.WriteLine($"Stopped; every interrupted run kept its checkpoint. Resume with the same command.");
            return signals.ExitCode != 0 ? signals.ExitCode : 130;
        }

        return outcome.Failed.Count > 0 ? PiperlApp.Failure : PiperlApp.Success;
    }

    /// <summary>Prepares the run folders of <paramref name="spec"/> and writes its Slurm array script instead of training.</summary>
    public static int WriteSlurmArray(StudySpec spec, RunStore store, TextWriter output)
    {
        var (folder, runs) = StudyRunner.Prepare(spec, store, output);
        var command = ProcessRunLauncher.ForAssembly(typeof(PiperlApp).Assembly.Location).Command;
        var script = SlurmArray.Write(folder, spec, runs, command);
        var left = runs.Count(r => !StudyRunner.IsFinished(r));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Study {spec.Name}: {runs.Count} runs in {folder} ({left} to train); Slurm array written: {script}"));
        output.WriteLine($"Submit it with: sbatch {script}   (resubmit to resume; the tasks' logs go to {Path.Combine(folder, SlurmArray.LogFolder)})");
        output.WriteLine($"When the tasks have ended: piperl study gather {folder}   then   piperl report {folder}");
        return PiperlApp.Success;
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static int Seed(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : throw new UsageException($"--seeds takes comma-separated integers; '{text}' is not one.");

    private static Tau TauOf(string text)
    {
        try
        {
            return Tau.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--taus: {ex.Message}");
        }
    }
}
