using System.Text;

namespace PipeRL.Experiments.Runs;

/// <summary>Writes a file completely or not at all: into a temporary sibling first, then renamed over the target.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> as UTF-8 to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string content) =>
        Write(path, stream =>
        {
            var bytes = new UTF8Encoding(false).GetBytes(content);
            stream.Write(bytes);
        });

    /// <summary>Lets <paramref name="write"/> fill a temporary file, then renames it to <paramref name="path"/>; on failure the target is untouched.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
