using System.Diagnostics;
using System.Globalization;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Sac;
using PipeRL.Bench.Harness;
using PipeRL.Envs;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.MuJoCo;
using PipeRL.Envs.Vector;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Tensors;

namespace PipeRL.Bench.Training;

/// <summary>
/// SAC's training throughput with the authors' MuJoCo settings (batch 256, 256-256 critics and actor): learning ticks
/// per second of <see cref="SacTrainer"/> on one env after a short uniform warm-up, the process CPU time per tick,
/// and the nominal floating-point work of a tick against the wall time.
/// </summary>
public static class SacBench
{
    /// <summary>Trains <paramref name="warmUpTicks"/> random ticks, then times <paramref name="ticks"/> learning ticks and writes the report.</summary>
    public static void Run(string envId, string arch, int threads, int warmUpTicks, int ticks, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var env = envId == PendulumEnv.EnvId ? SyncVectorEnv.Create(1, _ => new PendulumEnv(1))
            : MuJoCoEnvs.IsRegistered(envId) ? (IVectorEnv)MuJoCoEnvs.CreateVector(envId, 1, 1, AutoresetMode.SameStep, 1)
            : throw new ArgumentException($"bench sac takes {PendulumEnv.EnvId} or a MuJoCo env ({string.Join(", ", MuJoCoEnvs.Ids)}), got '{envId}'.");
        var dims = env.SingleActionSpace.FlatSize;
        var architecture = ArchitectureCatalogue.Build(arch, new ArchitectureOptions { ObservationShape = [.. env.SingleObservationSpace.Shape], Actions = dims, ContinuousActions = true });
        var actor = new PipelineActor(architecture, 1);
        var options = SacOptions.MuJoCo with { LearningStarts = warmUpTicks, BufferSize = Math.Max(10_000, 2 * (warmUpTicks + ticks)) };
        using var workers = threads > 1 ? new WorkerPool(threads) : null;
        using var trainer = new SacTrainer(env, actor, options, seed: 1) { Workers = workers };
        trainer.Train(warmUpTicks + 1);

        var load = LoadAverage();
        var (poolBefore, updatesBefore) = trainer.WorkerUse;
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        trainer.Train(warmUpTicks + 1 + ticks);
        clock.Stop();
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var seconds = clock.Elapsed.TotalSeconds;
        var flops = NominalFlopsPerTick(actor, trainer.Q1, options, trainer.ReplayTicks);

        BenchEnvironment.Capture().Write(output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Load     {load} before, {LoadAverage()} after (1-, 5-, 15-minute load averages)"));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SAC on {envId}, actor {arch} (window {trainer.WindowLength} ticks, {trainer.ReplayTicks} replayed), batch {options.BatchSize}, {threads} thread(s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {ticks:N0} learning ticks in {seconds:0.00} s: {ticks / seconds:0.0} ticks/s ({1000 * seconds / ticks:0.00} ms per tick)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  process CPU {cpuSeconds:0.00} s: {1000 * cpuSeconds / ticks:0.00} ms per tick, {ticks / cpuSeconds:0.0} ticks per CPU-second"));
        if (workers is not null)
        {
            var (pool, updates) = trainer.WorkerUse;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  updates on {threads} threads: {pool - poolBefore:N0} of {updates - updatesBefore:N0} (the rest on one thread, where the timing checks found it faster)"));
        }

        // A delayed actor's replay computes each layer only on the ticks the used outputs depend on: the count is then an upper bound.
        var bound = trainer.ReplayTicks > 2 ? " (an upper bound: every replayed tick counted in full)" : string.Empty;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  nominal work {flops / 1e9:0.000} GFLOP per tick{bound}: {flops * ticks / seconds / 1e9:0.0} GFLOP/s of wall time, {flops * ticks / cpuSeconds / 1e9:0.0} GFLOP/s of CPU time"));
    }

    /// <summary>
    /// The multiply-adds of one learning tick, doubled: the target critics' forward pass and the critics' forward and
    /// backward (×3) pass every tick, the actor replayed over <paramref name="replayTicks"/> ticks of the batch, and at
    /// every actor update (each of its iterations) the critics' pass through the action (forward and input gradient,
    /// ×2), the actor's backward (×2), a fresh replay of the ticks before the last for the temperature and, after the
    /// first iteration, for the actor.
    /// </summary>
    public static double NominalFlopsPerTick(IModule actor, IModule critic, SacOptions options, int replayTicks)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(options);
        double b = options.BatchSize;
        var criticRow = 2.0 * Macs(critic);
        var actorReplay = 2.0 * Macs(actor) * replayTicks * b;
        var actorCurrent = 2.0 * Macs(actor) * (replayTicks - 1) * b;
        var perTick = (2 * criticRow * b) + (2 * 3 * criticRow * b) + actorReplay;
        var perPolicyUpdate = 0.0;
        for (var iteration = 0; iteration < options.PolicyIterations; iteration++)
        {
            var replayed = iteration == 0 ? actorReplay : actorCurrent;
            perPolicyUpdate += (2 * 2 * criticRow * b) + (2 * replayed) + (iteration == 0 ? 0 : actorCurrent) + (options.Autotune ? actorCurrent : 0);
        }

        return perTick + (perPolicyUpdate / options.PolicyFrequency);
    }

    private static double Macs(IModule module)
    {
        var macs = 0.0;
        foreach (var p in module.Parameters)
        {
            if (p.Shape.Rank == 2)
            {
                macs += p.Shape.Length;
            }
        }

        return macs;
    }

    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(" ", fields.Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}
