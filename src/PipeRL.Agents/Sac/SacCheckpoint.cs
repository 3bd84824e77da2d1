using System.Globalization;
using System.Text;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Replay;
using PipeRL.Envs;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;
using PipeRL.Tensors.Optim;

namespace PipeRL.Agents.Sac;

/// <summary>
/// What a SAC trainer's checkpoint holds: the actor, both critics and their targets, the three Adams, log α, the tick,
/// update and learning counters, the random source (its pending Gaussian included), the acting state (env, episode in
/// progress, action history, layer values), the sums of the report interval in progress, and what a load needs to
/// trust the replay, which is kept beside the checkpoint (<see cref="ReplayFile"/>: each save writes the rows added
/// since the one before). Checkpoints of earlier versions, with the replay inside or left out, still load.
/// </summary>
internal sealed class SacCheckpoint(IActorNetwork actor, Adam actorAdam, TwinCritics critics, Parameter logAlpha, Adam alphaAdam, SeededRandom random, SacActing acting, SacReport report) : IDisposable
{
    private const string CountersKey = "sac.ticks_updates_learn_after";
    private const string RandomKey = "sac.random";
    private const string ReplayPrefix = "sac.replay.";
    private const string ReplayFileKey = "sac.replay_file";
    private const string ActingKey = "sac.acting";
    private const int ActingVersion = 1;
    private static readonly string[] ReplayEntries = ["rows", "inputs", "actions", "rewards", "flags"];
    private readonly MemoryStream _acting = new();
    private ReplayFile? _replayFile;

    /// <summary>Keeps the replay in files beside the checkpoint at <paramref name="checkpointPath"/> (before the first save or load).</summary>
    public void KeepReplayBeside(string checkpointPath) => _replayFile = new ReplayFile(acting.Replay, checkpointPath);

    /// <summary>
    /// Writes the replay's new rows beside the checkpoint and adds the trainer's state at tick <paramref name="ticks"/>
    /// to <paramref name="checkpoint"/>, which must be saved before the next call.
    /// </summary>
    public void Save(Checkpoint checkpoint, long ticks, int updates, long learnAfter)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var replayFile = _replayFile ?? throw new InvalidOperationException("SAC keeps its replay beside the checkpoint: call KeepStateBeside with the checkpoint's path before saving.");
        checkpoint.AddParameters(actor.Parameters, ITrainer.ActorPrefix);
        checkpoint.AddOptimizer(actorAdam, "sac.actor_adam");
        critics.Save(checkpoint);
        checkpoint.AddParameters([logAlpha], "sac.");
        checkpoint.AddOptimizer(alphaAdam, "sac.alpha_adam");
        checkpoint.SetIntegers(CountersKey, [ticks, updates, learnAfter]);
        var (s0, s1, s2, s3) = random.GetState();
        var pending = random.PendingGaussian;
        checkpoint.SetIntegers(RandomKey, [unchecked((long)s0), unchecked((long)s1), unchecked((long)s2), unchecked((long)s3), pending is null ? 0 : 1, BitConverter.DoubleToInt64Bits(pending ?? 0)]);

        // One buffer for every save, so checkpoints leave no garbage behind.
        _acting.SetLength(0);
        using (var writer = new BinaryWriter(_acting, Encoding.UTF8, leaveOpen: true))
        {
            writer.WriteHeader(ActingKey, ActingVersion);
            report.WriteState(writer);
            acting.WriteState(writer);
        }

        checkpoint.SetBytes(ActingKey, _acting.GetBuffer().AsSpan(0, (int)_acting.Length));
        foreach (var entry in ReplayEntries)
        {
            checkpoint.Remove(ReplayPrefix + entry);
        }

        replayFile.Save(checkpoint, ReplayFileKey);
    }

    /// <summary>
    /// Restores what <see cref="Save"/> wrote (set the trainer's workers first: the actor's executor is made here);
    /// returns the counters and the resume note. The replay is read from beside the checkpoint, or from inside one of an
    /// earlier version; such a checkpoint without a replay (an earlier version left a replay over 1 GiB out) starts
    /// with an empty one, and learning then pauses for <paramref name="refillTicks"/> ticks while it refills.
    /// </summary>
    public (long Ticks, int Updates, long LearnAfter, string Note) Load(Checkpoint checkpoint, WorkerPool? workers, long refillTicks)
    {
        var (ticks, updates, learnAfter, replayRestored) = Load(checkpoint, workers);
        return (ticks, updates, replayRestored ? learnAfter : Math.Max(learnAfter, ticks + refillTicks), Note(replayRestored, refillTicks));
    }

    private (long Ticks, int Updates, long LearnAfter, bool ReplayRestored) Load(Checkpoint checkpoint, WorkerPool? workers)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var counters = checkpoint.GetIntegers(CountersKey);
        var state = checkpoint.GetIntegers(RandomKey);
        if (counters.Length != 3 || counters[0] < 0 || counters[1] < 0 || counters[1] > int.MaxValue || counters[2] < 0 || state.Length != 6 || state[4] is not (0 or 1))
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has SAC counters that cannot be right.");
        }

        if (!checkpoint.Bytes.TryGetValue(ActingKey, out var saved))
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has no acting state (env, episode in progress, layer values): an earlier PipeRL wrote it, and a run resumed from it would not be the run that was interrupted; delete it and resume to train the run again from its start.");
        }

        checkpoint.RestoreParameters(actor.Parameters, ITrainer.ActorPrefix);
        checkpoint.RestoreOptimizer(actorAdam, "sac.actor_adam");
        critics.Restore(checkpoint);
        checkpoint.RestoreParameters([logAlpha], "sac.");
        checkpoint.RestoreOptimizer(alphaAdam, "sac.alpha_adam");
        random.SetState((unchecked((ulong)state[0]), unchecked((ulong)state[1]), unchecked((ulong)state[2]), unchecked((ulong)state[3])));
        random.PendingGaussian = state[4] == 1 ? BitConverter.Int64BitsToDouble(state[5]) : null;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(saved, writable: false), Encoding.UTF8);
            reader.ReadHeader(ActingKey, ActingVersion);
            report.ReadState(reader);
            acting.Resume(reader, workers);
            if (reader.BaseStream.Position != saved.Length)
            {
                throw new InvalidDataException($"{saved.Length - reader.BaseStream.Position} bytes follow the saved state");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has an acting state that does not fit this run: {ex.Message.TrimEnd('.')}.", ex);
        }

        var restored = true;
        if (checkpoint.Integers.ContainsKey(ReplayFileKey))
        {
            var replayFile = _replayFile ?? throw new InvalidOperationException($"Checkpoint {checkpoint.SourcePath} keeps its replay beside it, and the trainer was not told where (KeepStateBeside).");
            replayFile.Load(checkpoint, ReplayFileKey);
        }
        else if (checkpoint.Integers.ContainsKey(ReplayPrefix + "rows"))
        {
            acting.Replay.Load(checkpoint, ReplayPrefix);
        }
        else
        {
            restored = false;
        }

        return (counters[0], (int)counters[1], counters[2], restored);
    }

    // The resume note: what the checkpoint restored, and what a resume starts afresh.
    private static string Note(bool replayRestored, long refillTicks) => replayRestored
        ? "networks, optimizers, temperature, replay, env, episode in progress, layer values, action history and random source as they were"
        : string.Create(CultureInfo.InvariantCulture, $"networks, optimizers, temperature, env, episode in progress, layer values, action history and random source as they were; an earlier PipeRL left the replay (over 1 GiB) out of this checkpoint, so learning pauses for {refillTicks:N0} ticks while it refills");

    /// <inheritdoc/>
    public void Dispose() => _acting.Dispose();
}
