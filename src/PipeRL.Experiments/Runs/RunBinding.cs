using System.Runtime.InteropServices;
using System.Security.Cryptography;
using PipeRL.Tensors.IO;

namespace PipeRL.Experiments.Runs;

/// <summary>
/// Binds a checkpoint to its run: the SHA-256 of the run's <c>config.json</c> and the run's identity are stored in it,
/// so that resuming refuses another run's checkpoint and a config edited after the checkpoint was written.
/// </summary>
public static class RunBinding
{
    private const string ConfigKey = "run.config_sha256";
    private const string IdentityKey = "run.identity";

    /// <summary>Stores the binding of <paramref name="run"/> in <paramref name="checkpoint"/>.</summary>
    public static void Add(Checkpoint checkpoint, RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(run);
        var identity = run.ReadIdentity() ?? throw new InvalidOperationException($"Run folder {run.Path} has no identity file.");
        checkpoint.SetIntegers(ConfigKey, Longs(ConfigHash(run)));
        checkpoint.SetIntegers(IdentityKey, Longs(identity.ToByteArray()));
    }

    /// <summary>Throws a <see cref="UserInputException"/> unless <paramref name="checkpoint"/> was written by <paramref name="run"/> with its present config.</summary>
    public static void Check(Checkpoint checkpoint, RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(run);
        if (!checkpoint.Integers.TryGetValue(ConfigKey, out var config) || !checkpoint.Integers.TryGetValue(IdentityKey, out var identity))
        {
            throw new UserInputException($"Cannot resume: {run.CheckpointPath} is not bound to a run (written by an earlier PipeRL, or not a training checkpoint); start the run again from {run.ConfigPath}.");
        }

        if (run.ReadIdentity() is not { } id || !identity.AsSpan().SequenceEqual(Longs(id.ToByteArray())))
        {
            throw new UserInputException($"Cannot resume: {run.CheckpointPath} belongs to another run (its run identity differs from {run.IdentityPath}); put back this run's checkpoint or start a new run.");
        }

        if (!config.AsSpan().SequenceEqual(Longs(ConfigHash(run))))
        {
            throw new UserInputException($"Cannot resume: {run.ConfigPath} was changed after the checkpoint was written (its SHA-256 differs); restore it, or train a new run with the changed config.");
        }
    }

    private static byte[] ConfigHash(RunFolder run) => SHA256.HashData(File.ReadAllBytes(run.ConfigPath));

    private static long[] Longs(byte[] bytes) => MemoryMarshal.Cast<byte, long>(bytes).ToArray();
}
