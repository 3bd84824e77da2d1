namespace PipeRL.Experiments.Runs;

/// <summary>The folder that holds runs, one sub-folder each (<c>runs/</c> by default).</summary>
public sealed class RunStore
{
    /// <summary>The default root, relative to the working directory.</summary>
    public const string DefaultRoot = "runs";

    /// <summary>Uses <paramref name="root"/> as the folder of runs.</summary>
    public RunStore(string root = DefaultRoot)
    {
        Root = Path.GetFullPath(root);
        RegistryPath = Path.Combine(Root, Registry.RunRegistry.FileName);
    }

    /// <summary>The folder of runs.</summary>
    public string Root { get; }

    /// <summary>The run registry its runs are indexed in: <c>piperl.db</c> in <see cref="Root"/>, or a parent store's for a study's runs.</summary>
    public string RegistryPath { get; init; }

    /// <summary>A store for the runs in <paramref name="folder"/> (a study's) that indexes them in this store's registry.</summary>
    public RunStore Nested(string folder) => new(folder) { RegistryPath = RegistryPath };

    /// <summary>
    /// Creates a new run folder named <paramref name="name"/>; when that exists, the first free
    /// <c>name-2</c>, <c>name-3</c>, ... so no earlier run is overwritten.
    /// </summary>
    public RunFolder Create(string name)
    {
        try
        {
            Directory.CreateDirectory(Root);
            for (var suffix = 1; ; suffix++)
            {
                var candidate = Path.Combine(Root, suffix == 1 ? name : $"{name}-{suffix}");
                if (!Path.Exists(candidate))
                {
                    Directory.CreateDirectory(candidate);
                    return new RunFolder(candidate);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot create run folder '{name}' in {Root}: {ex.Message.TrimEnd('.')}; choose another folder of runs.", ex);
        }
    }

    /// <summary>
    /// Finds a run by folder path or by name under the root; throws a <see cref="UserInputException"/> when there
    /// is no run config there.
    /// </summary>
    public RunFolder Open(string nameOrPath)
    {
        var direct = new RunFolder(nameOrPath);
        if (direct.HasConfig)
        {
            return direct;
        }

        var named = new RunFolder(Path.Combine(Root, nameOrPath));
        return named.HasConfig
            ? named
            : throw new UserInputException($"No run '{nameOrPath}': neither it nor {Path.Combine(Root, nameOrPath)} holds a config.json.");
    }
}
