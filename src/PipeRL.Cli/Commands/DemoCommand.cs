using System.CommandLine;
using PipeRL.Experiments.Demo;
using PipeRL.Experiments.Reports;
using PipeRL.Experiments.Runs;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl demo</c>: the main job, a preset of <c>piperl study</c>: delayed actors against the undelayed one on MinAtar Space Invaders, with the study's report.</summary>
internal static class DemoCommand
{
    /// <summary>Creates the <c>demo</c> command.</summary>
    public static Command Create()
    {
        var defaults = new DemoOptions();
        var steps = new Option<long>("--steps") { Description = "Training ticks per actor (agent decisions over all envs; tau = 1, so also env steps).", DefaultValueFactory = _ => defaults.Steps };
        var seed = new Option<int>("--seed") { Description = "Seed of every run.", DefaultValueFactory = _ => defaults.Seed };
        var env = new Option<string>("--env") { Description = "Environment id.", DefaultValueFactory = _ => defaults.Env };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "Evaluation episodes per actor (sampled and greedy).", DefaultValueFactory = _ => defaults.EvalEpisodes };
        var threads = new Option<int>("--threads") { Description = "Threads stepping the environments.", DefaultValueFactory = _ => defaults.Threads };
        var parallel = new Option<int>("--parallel") { Description = "Actors trained at the same time, one process each.", DefaultValueFactory = _ => defaults.Parallel };
        var name = new Option<string>("--name") { Description = "The demo's study folder under --runs-dir; rerunning resumes it (finished actors are not trained again).", DefaultValueFactory = _ => defaults.Name };
        var runsDir = new Option<string>("--runs-dir") { Description = "Folder of run folders; the demo writes runs/demo/.", DefaultValueFactory = _ => RunStore.DefaultRoot };
        var command = new Command(
            "demo",
            $"Train the {string.Join(", ", DemoOptions.Architectures)} actors with PPO on MinAtar Space Invaders at tau = 1 (small network, 2M ticks each; 8-10 minutes on a 2-core machine), then print final returns normalised by instant's and draw the report (learning curves, report.html). A preset of 'piperl study': rerun to resume.")
        {
            steps, seed, env, evalEpisodes, threads, parallel, name, runsDir,
        };
        command.SetAction(parseResult =>
        {
            var options = new DemoOptions
            {
                Name = parseResult.GetValue(name)!,
                Env = parseResult.GetValue(env)!,
                Steps = parseResult.GetValue(steps),
                Seed = parseResult.GetValue(seed),
                EvalEpisodes = parseResult.GetValue(evalEpisodes),
                Threads = parseResult.GetValue(threads),
                Parallel = parseResult.GetValue(parallel),
            };
            var output = parseResult.InvocationConfiguration.Output;
            var store = new RunStore(parseResult.GetValue(runsDir)!);
            var code = StudyCommand.Execute(options.ToStudy(), store, output);
            if (code == PiperlApp.Success)
            {
                var (_, html) = StudyPage.Write(Path.Combine(store.Root, options.Name));
                output.WriteLine($"Report with the learning curves: {html} (figures/ beside it, PNG and SVG)");
            }

            return code;
        });
        return command;
    }
}
