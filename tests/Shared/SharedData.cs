namespace PipeRL.Tests;

/// <summary>Finds the project's reference data (<c>../shared</c> beside the repository) for tests that need it.</summary>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The full path of <paramref name="relative"/> inside the shared folder; skips the test when absent.</summary>
    public static string Require(string relative)
    {
        Skip.If(Root.Value is null, "reference data not found: expected a 'shared' folder beside the repository (../shared); skipping.");
        var path = Path.Combine(Root.Value!, relative);
        Skip.IfNot(File.Exists(path) || Directory.Exists(path), $"reference data '{relative}' not found in {Root.Value}; skipping.");
        return path;
    }

    /// <summary>The full path of <paramref name="relative"/> inside the shared folder, or null when absent (for test data sources).</summary>
    public static string? Find(string relative)
    {
        if (Root.Value is null)
        {
            return null;
        }

        var path = Path.Combine(Root.Value, relative);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    /// <summary>
    /// The names of the files matching <paramref name="pattern"/> in the shared folder <paramref name="relative"/>, in
    /// ordinal order; where there are none, one placeholder name, so a theory over them skips with the reason (its
    /// <see cref="Require"/> call) instead of failing for lack of data.
    /// </summary>
    public static string[] FileNamesOrPlaceholder(string relative, string pattern)
    {
        var folder = Find(relative);
        var files = folder is null ? [] : Directory.GetFiles(folder, pattern).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        return files.Length > 0 ? files : ["(no files found)"];
    }

    /// <summary>The repository root (the folder holding PipeRL.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PipeRL.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("PipeRL.slnx not found above the test binaries.");
    }

    private static string? FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("PIPERL_SHARED");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return fromEnv;
        }

        var beside = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        return Directory.Exists(beside) ? beside : null;
    }
}
