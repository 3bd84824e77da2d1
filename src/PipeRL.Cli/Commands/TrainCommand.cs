using System.CommandLine;
using System.Text.Json;
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
        var arch = new Option<string?>("--arch") { Description = "Actor architecture: a catalogue name (see 'piperl inspect') or a graph .json file (input 'obs', policy head 'policy'). [instant]" };
        var tau = new Option<string?>("--tau") { Description = "Tick length in env steps: k (an integer >= 1: the action is repeated k env steps, rewards summed) or 1/m (m ticks per env step: the observation is held m ticks and the last tick's action applied; 0.25 is read as 1/4). [1]" };
        var algo = new Option<string?>("--algo") { Description = "Algorithm: ppo or sac (SAC: continuous on a box of actions, discrete otherwise; one env). [ppo, or the preset's]" };
        var steps = new Option<long?>("--steps") { Description = "Training budget in ticks (agent decisions summed over all envs); env steps are at most ticks x k at tau = k and ticks / m at tau = 1/m (the run's header prints both). [1000000]" };
        var seed = new Option<int?>("--seed") { Description = "Seed of every random source (env i gets seed + i). [1]" };
        var preset = new Option<string?>("--preset") { Description = $"Hyperparameter preset: {string.Join("; ", Algorithms.Presets.Select(p => $"{p.Name} ({p.Algo}: {p.Description})"))}. [on continuous actions (MuJoCo, pendulum) mujoco-ppo or mujoco-sac, on discrete ones small or minatar-dsac-small]" };
        var config = new Option<string?>("--config") { Description = "A JSON run config (as written to a run's config.json); command-line options override it." };
        var name = new Option<string?>("--name") { Description = "Run folder name under --runs-dir. [<env>_<arch><variant>[_<algo>]_tau<tau>_seed<seed>: the variant names each actor option off its default, e.g. -instant, -h2, -authors, -reset, -critic-augmented; the algo all but ppo]" };
        var evalEpisodes = new Option<int?>("--eval-episodes") { Description = "Episodes of the final evaluation, each sampled and greedy. [100]" };
        var evalEvery = new Option<long?>("--eval-every") { Description = "Ticks between evaluations during training, on envs of their own (training is unchanged by them): metrics rows of kind eval and TensorBoard tags eval/sampled_return and eval/greedy_return; the actor of the best sampled mean is kept as best.params in the run folder; 0 evaluates only at the end. [0]" };
        var evalEveryEpisodes = new Option<int?>("--eval-every-episodes") { Description = "Episodes of each evaluation during training, each sampled and greedy. [10]" };
        var threads = new Option<int?>("--threads") { Description = "Threads stepping the environments and running the network updates. [1]" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Updates (PPO rollouts, SAC report intervals) between checkpoints (checkpoint.ckpt in the run folder: parameters, optimizer state, update and tick counters, random state, envs and episodes in progress; SAC's replay beside it in checkpoint.replay, only new rows written each time); 0 checkpoints every tenth of the run. [0]" };
        var resume = new Option<string?>("--resume") { Description = "Continue the unfinished run RUN (a folder, or a name under --runs-dir) from its last checkpoint, with its saved config; metrics rows after the checkpoint are dropped. The checkpoint holds the envs, the episodes in progress and every random source, so a resumed run ends bit-identical to an uninterrupted one." };
        var runsDir = new Option<string>("--runs-dir") { Description = "Folder of run folders.", DefaultValueFactory = _ => RunStore.DefaultRoot };
        var actor = new ConfigOptionFlags(ActorConfig.Default, string.Empty);
        var algorithms = new ConfigOptionFlags([.. Algorithms.DefaultPresets.Select(p => (p.Algo, (object)p.Options, $"{p.Name} preset: "))]);

        var command = new Command("train", "Train an agent; writes runs/<name>/ with config.json, metrics.csv, checkpoint.ckpt, final.params, evaluation.json. Ctrl-C or SIGTERM stops after the current update with a checkpoint (exit 130 or 143); continue with --resume.")
        {
            env, arch, tau, algo, steps, seed, preset, config, name, evalEpisodes, evalEvery, evalEveryEpisodes, threads, checkpointEvery, resume, runsDir,
        };
        foreach (var option in actor.Options.Concat(algorithms.Options))
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
            Set(evalEvery, "evalEvery");
            Set(evalEveryEpisodes, "evalEveryEpisodes");
            Set(threads, "threads");
            var actorOverrides = actor.Overrides(parseResult);
            if (actorOverrides.Count > 0)
            {
                overrides["actor"] = actorOverrides;
            }

            Set(checkpointEvery, "checkpointEvery");
            var output = parseResult.InvocationConfiguration.Output;
            var store = new RunStore(parseResult.GetValue(runsDir)!);
            Func<CancellationToken, TrainResult> train;
            if (parseResult.GetValue(resume) is { } resumed)
            {
                var given = overrides.SelectMany(o => o.Value is JsonObject nested ? nested.Select(n => n.Key) : [o.Key])
                    .Select(key => "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(key))
                    .Concat(algorithms.Given(parseResult))
                    .Concat(parseResult.GetValue(config) is null ? [] : ["--config"])
                    .ToList();
                if (given.Count > 0)
                {
                    throw new UsageException($"--resume continues a run with its saved config; drop {string.Join(", ", given)}.");
                }

                var run = store.Open(resumed);
                var plan = TrainPlan.Prepare(run.ReadConfig());
                train = stop => plan.Resume(run, output, stop);
            }
            else
            {
                // The algorithm's options go to its section; one of another algorithm's alone is refused.
                var algoName = ConfigResolver.Algo(parseResult.GetValue(config), overrides);
                var algoOverrides = algorithms.Overrides(parseResult, algoName, $"this run trains {algoName}");
                if (algoOverrides.Count > 0)
                {
                    overrides[algoName] = algoOverrides;
                }

                var plan = TrainPlan.Prepare(ConfigResolver.Resolve(parseResult.GetValue(config), overrides));
                train = stop => plan.Run(store, output, stop);
            }

            return RunStoppable(train, output);
        });
        return command;
    }

    /// <summary>
    /// Runs <paramref name="train"/> with Ctrl-C (SIGINT) and SIGTERM turned into a stop after the current update; a
    /// second signal ends the process at once. Returns 0, or 128 + the signal number when stopped.
    /// </summary>
    private static int RunStoppable(Func<CancellationToken, TrainResult> train, TextWriter output)
    {
        using var signals = new StopSignals();
        try
        {
            var result = train(signals.Token);
            output.WriteLine($"Run folder: {result.Run.Path}");
            return PiperlApp.Success;
        }
        catch (TrainingStoppedException ex)
        {
            output.WriteLine($"Resume with: piperl train --resume {ex.Run.Path}");
            return signals.ExitCode == 0 ? PiperlApp.Failure : signals.ExitCode;
        }
    }
}
