namespace PipeRL.Experiments.Runs;

/// <summary>
/// Exclusive use of a run folder by one process: an OS lock on its <c>run.lock</c> file (the kernel releases it when
/// the process ends, killed or not), with the holder's process id and command line in <c>run.lock.holder</c> so that
/// a second process can say who holds it. Taking the lock removes the temporary files an interrupted write left.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The locked file's name in the run folder.</summary>
    public const string FileName = "run.lock";

    /// <summary>The name of the file describing the holder.</summary>
    public const string HolderFileName = "run.lock.holder";

    private readonly FileStream _stream;

    private RunLock(FileStream stream, int removedTemporaryFiles)
    {
        _stream = stream;
        RemovedTemporaryFiles = removedTemporaryFiles;
    }

    /// <summary>How many temporary files (<c>*.tmp</c>) of interrupted writes were removed when the lock was taken.</summary>
    public int RemovedTemporaryFiles { get; }

    /// <summary>
    /// Locks <paramref name="run"/>; a folder another process holds is a <see cref="UserInputException"/> naming that
    /// process. The lock lasts until <see cref="Dispose"/> or the end of this process.
    /// </summary>
    public static RunLock Acquire(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var path = Path.Combine(run.Path, FileName);
        var holderPath = Path.Combine(run.Path, HolderFileName);
        FileStream stream;
        try
        {
            // FileShare.None takes an exclusive flock on Unix (a sharing lock on Windows); a second taker fails at once.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (File.Exists(path) && ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new UserInputException($"Run folder {run.Path} is in use by {Holder(holderPath)}; wait for it to end or stop it first.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot lock run folder {run.Path}: {ex.Message}", ex);
        }

        try
        {
            var args = Environment.GetCommandLineArgs();
            var holder = $"process {Environment.ProcessId} on {Environment.MachineName} ({string.Join(' ', [Path.GetFileNameWithoutExtension(args[0]), .. args.Skip(1)])})";
            AtomicFile.WriteAllText(holderPath, holder + "\n");
            var removed = 0;
            foreach (var temp in Directory.EnumerateFiles(run.Path, "*.tmp"))
            {
                // Only a writer of this folder makes these, and it held this lock: the ones left are from a killed process.
                File.Delete(temp);
                removed++;
            }

            return new RunLock(stream, removed);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Whether some process (this one included) holds the lock of <paramref name="run"/> now, i.e. is training it.</summary>
    public static bool IsHeld(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var path = Path.Combine(run.Path, FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Releases the lock (the lock file stays, so that the lock is always on the same file).</summary>
    public void Dispose() => _stream.Dispose();

    private static string Holder(string holderPath)
    {
        try
        {
            var text = File.ReadAllText(holderPath).Trim();
            return text.Length > 0 ? text : "another process";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }
}
