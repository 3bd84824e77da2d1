using System.CommandLine;
using PipeRL.Bench.Training;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.MuJoCo;
using PipeRL.Pipeline.Catalogue;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl bench sac</c>: SAC's training throughput with the authors' MuJoCo settings.</summary>
internal static class BenchSacCommand
{
    /// <summary>Creates the <c>sac</c> sub-command of <c>bench</c>.</summary>
    public static Command Create()
    {
        var env = new Option<string>("--env") { Description = "A MuJoCo env (mujoco/halfcheetah, ...) or classic/pendulum.", DefaultValueFactory = _ => "mujoco/halfcheetah" };
        var arch = new Option<string>("--arch") { Description = "Actor architecture from the catalogue.", DefaultValueFactory = _ => "instant" };
        var threads = new Option<int>("--threads") { Description = "Threads for the networks' matrix products (the caller's included).", DefaultValueFactory = _ => 2 };
        var warmUp = new Option<int>("--warm-up") { Description = "Uniformly random ticks that fill the replay before timing.", DefaultValueFactory = _ => 1_000 };
        var ticks = new Option<int>("--ticks") { Description = "Timed learning ticks.", DefaultValueFactory = _ => 2_000 };
        var command = new Command("sac", "SAC training ticks per second (batch 256, 256-256 networks, an update every tick), CPU time per tick and nominal GFLOP/s.")
        {
            env, arch, threads, warmUp, ticks,
        };
        command.SetAction(parseResult =>
        {
            var t = parseResult.GetValue(threads);
            var w = parseResult.GetValue(warmUp);
            var n = parseResult.GetValue(ticks);
            if (t < 1 || t > 64 || w < 300 || n < 1)
            {
                throw new UsageException($"--threads must be 1 to 64, --warm-up at least 300 (a batch of windows) and --ticks at least 1; got {t}, {w} and {n}.");
            }

            var envId = parseResult.GetValue(env)!;
            var archName = parseResult.GetValue(arch)!;
            if (envId != PendulumEnv.EnvId && !MuJoCoEnvs.IsRegistered(envId))
            {
                throw new UsageException($"bench sac takes {PendulumEnv.EnvId} or a MuJoCo env ({string.Join(", ", MuJoCoEnvs.Ids)}), got '{envId}'.");
            }

            if (MuJoCoEnvs.IsRegistered(envId) && MuJoCoEnvs.UnavailableReason is { } reason)
            {
                throw new UsageException(reason);
            }

            if (!ArchitectureCatalogue.Names.Contains(archName))
            {
                throw new UsageException($"Unknown architecture '{archName}'; valid: {string.Join(", ", ArchitectureCatalogue.Names)}.");
            }

            SacBench.Run(envId, archName, t, w, n, parseResult.InvocationConfiguration.Output);
            return PiperlApp.Success;
        });
        return command;
    }
}
