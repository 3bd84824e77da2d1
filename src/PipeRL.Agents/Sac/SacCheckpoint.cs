using System.Globalization;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Replay;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;
using PipeRL.Tensors.Optim;

namespace PipeRL.Agents.Sac;

/// <summary>
/// What a SAC trainer's checkpoint holds: the actor, both critics and their targets, the three Adams, log α, the tick,
/// update and learning counters, the random source and the replay, shared into the checkpoint without a copy while it
/// takes at most <see cref="ReplayLimitBytes"/> (a larger replay is left out, and learning pauses after a resume until
/// the replay has refilled).
/// </summary>
internal sealed class SacCheckpoint(IActorNetwork actor, Adam actorAdam, TwinCritics critics, Parameter logAlpha, Adam alphaAdam, SeededRandom random, SequenceReplayBuffer replay)
{
    /// <summary>The largest replay saved in checkpoints (a checkpoint file is read whole, and must stay under 2 GB).</summary>
    public const long ReplayLimitBytes = 1L << 30;

    private const string CountersKey = "sac.ticks_updates_learn_after";
    private const string RandomKey = "sac.random";
    private const string ReplayPrefix = "sac.replay.";
    private static readonly string[] ReplayEntries = ["rows", "inputs", "actions", "rewards", "flags"];

    /// <summary>Adds the trainer's state at tick <paramref name="ticks"/> to <paramref name="checkpoint"/>.</summary>
    public void Save(Checkpoint checkpoint, long ticks, int updates, long learnAfter)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.AddParameters(actor.Parameters, ITrainer.ActorPrefix);
        checkpoint.AddOptimizer(actorAdam, "sac.actor_adam");
        critics.Save(checkpoint);
        checkpoint.AddParameters([logAlpha], "sac.");
        checkpoint.AddOptimizer(alphaAdam, "sac.alpha_adam");
        checkpoint.SetIntegers(CountersKey, [ticks, updates, learnAfter]);
        var (s0, s1, s2, s3) = random.GetState();
        checkpoint.SetIntegers(RandomKey, [unchecked((long)s0), unchecked((long)s1), unchecked((long)s2), unchecked((long)s3)]);
        foreach (var entry in ReplayEntries)
        {
            checkpoint.Remove(ReplayPrefix + entry);
        }

        if (replay.StoredBytes <= ReplayLimitBytes)
        {
            replay.Save(checkpoint, ReplayPrefix);
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote; returns the counters and whether the replay was restored.</summary>
    public (long Ticks, int Updates, long LearnAfter, bool ReplayRestored) Load(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var counters = checkpoint.GetIntegers(CountersKey);
        var state = checkpoint.GetIntegers(RandomKey);
        if (counters.Length != 3 || counters[0] < 0 || counters[1] < 0 || counters[1] > int.MaxValue || counters[2] < 0 || state.Length != 4)
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has SAC counters that cannot be right.");
        }

        checkpoint.RestoreParameters(actor.Parameters, ITrainer.ActorPrefix);
        checkpoint.RestoreOptimizer(actorAdam, "sac.actor_adam");
        critics.Restore(checkpoint);
        checkpoint.RestoreParameters([logAlpha], "sac.");
        checkpoint.RestoreOptimizer(alphaAdam, "sac.alpha_adam");
        random.SetState((unchecked((ulong)state[0]), unchecked((ulong)state[1]), unchecked((ulong)state[2]), unchecked((ulong)state[3])));
        var restored = checkpoint.Integers.ContainsKey(ReplayPrefix + "rows");
        if (restored)
        {
            replay.Load(checkpoint, ReplayPrefix);
        }

        return (counters[0], (int)counters[1], counters[2], restored);
    }

    /// <summary>The resume note: what the checkpoint restored, and what a resume starts afresh.</summary>
    public static string Note(bool replayRestored, long refillTicks) => replayRestored
        ? "networks, optimizers, temperature, counters and replay restored; episodes restart from fresh env resets (env state is not checkpointed)"
        : string.Create(CultureInfo.InvariantCulture, $"networks, optimizers, temperature and counters restored; the replay was larger than the checkpoint limit ({ReplayLimitBytes / 1e9:0.0} GB) and not saved, so learning pauses for {refillTicks:N0} ticks while it refills; episodes restart from fresh env resets");
}
