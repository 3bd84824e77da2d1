using System.CommandLine;
using System.Text.Json.Nodes;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Training;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl train</c>: trains an agent and writes a run folder (config, metrics, parameters, evaluation).</summary>
internal static class TrainCommand
{
    /// <summary>Creates the <c>train</c> command.</summary>
    public static Command Create()
    {
        var env = new Option<string?>("--env") { Description = "Environment id: minatar/<game>[-minimal], classic/cartpole, classic/pendulum, mujoco/{hopper,walker2d,halfcheetah,ant}. [minatar/breakout]" };
        var arch = new Option<string?>("--arch") { Description = "Actor architecture from the catalogue (see 'piperl inspect'). [instant]" };
        var tau = new Option<string?>("--tau") { Description = "Tick length in env steps: k (an integer >= 1: the action is repeated k env steps, rewards summed) or 1/m (m ticks per env step: the observation is held m ticks and the last tick's action applied; 0.25 is read as 1/4). [1]" };
        var algo = new Option<string?>("--algo") { Description = "Algorithm: ppo. [ppo]" };
        var steps = new Option<long?>("--steps") { Description = "Training budget in ticks (agent decisions summed over all envs); env steps are at most ticks x k at tau = k and ticks / m at tau = 1/m (the run's header prints both). [1000000]" };
        var seed = new Option<int?>("--seed") { Description = "Seed of every random source (env i gets seed + i). [1]" };
        var preset = new Option<string?>("--preset") { Description = "Hyperparameter preset: small (small network, minibatch scheme) or paper (the authors' settings). [small]" };
        var config = new Option<string?>("--config") { Description = "A JSON run config (as written to a run's config.json); command-line options override it." };
        var name = new Option<string?>("--name") { Description = "Run folder name under --runs-dir. [<env>_<arch>_tau<tau>_seed<seed>]" };
        var evalEpisodes = new Option<int?>("--eval-episodes") { Description = "Episodes of the final evaluation, each sampled and greedy. [100]" };
        var threads = new Option<int?>("--threads") { Description = "Threads stepping the environments. [1]" };
        var runsDir = new Option<string>("--runs-dir") { Description = "Folder of run folders.", DefaultValueFactory = _ => RunStore.DefaultRoot };
        var ppo = new PpoOptionFlags();

        var command = new Command("train", "Train an agent; writes runs/<name>/ with config.json, metrics.csv, final.params, evaluation.json.")
        {
            env, arch, tau, algo, steps, seed, preset, config, name, evalEpisodes, threads, runsDir,
        };
        foreach (var option in ppo.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            var overrides = new JsonObject();
            void Set<T>(Option<T> option, string key)
            {
                if (parseResult.GetResult(option) is { Implicit: false })
                {
                    overrides[key] = JsonValue.Create(parseResult.GetValue(option));
                }
            }

            Set(env, "env");
            Set(arch, "arch");
            if (parseResult.GetValue(tau) is { } tauText)
            {
                // Checked here so a bad tau is one line naming the accepted forms, before any config is merged.
                overrides["tau"] = TauOption.Parse(tauText).ToString();
            }

            Set(algo, "algo");
            Set(steps, "steps");
            Set(seed, "seed");
            Set(preset, "preset");
            Set(name, "name");
            Set(evalEpisodes, "evalEpisodes");
            Set(threads, "threads");
            var ppoOverrides = ppo.Overrides(parseResult);
            if (ppoOverrides.Count > 0)
            {
                overrides["ppo"] = ppoOverrides;
            }

            var output = parseResult.InvocationConfiguration.Output;
            var resolved = Usage(() => ConfigResolver.Resolve(parseResult.GetValue(config), overrides));
            var plan = Usage(() => TrainPlan.Prepare(resolved));
            var result = plan.Run(new RunStore(parseResult.GetValue(runsDir)!), output);
            output.WriteLine($"Run folder: {result.Run.Path}");
            return PiperlApp.Success;
        });
        return command;
    }

    /// <summary>Runs <paramref name="step"/>, turning its <see cref="ArgumentException"/> into a usage error.</summary>
    internal static T Usage<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (ArgumentException ex)
        {
            throw UsageException.From(ex);
        }
    }
}
