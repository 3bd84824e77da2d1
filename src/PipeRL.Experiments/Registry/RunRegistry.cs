using Microsoft.Data.Sqlite;
using PipeRL.Experiments.Runs;

namespace PipeRL.Experiments.Registry;

/// <summary>
/// The run registry: an SQLite index (<c>piperl.db</c> at the top of a run store) of every run with its config, status,
/// provenance, timings and final scores. The run folders stay the source of truth: every row is read from a folder and
/// <see cref="Rebuild"/> recreates the index from them. WAL mode and a busy timeout let several training processes write
/// at once; each write is one transaction, so a crash at any point leaves the previous state.
/// </summary>
public sealed class RunRegistry : IDisposable
{
    /// <summary>The registry's file name.</summary>
    public const string FileName = "piperl.db";

    private const int SchemaVersion = 1;

    /// <summary>The indexed columns, in table order (the <see cref="RunRecord"/> properties in snake case).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "path", "name", "study", "env", "arch", "tau", "seed", "algo", "preset", "steps", "status", "config", "version",
        "git_commit", "command_line", "started_utc", "updated_utc", "ticks", "env_steps", "train_seconds", "delay_ticks",
        "sampled_mean", "sampled_std", "greedy_mean", "greedy_std",
    ];

    private readonly SqliteConnection _connection;

    private RunRegistry(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The folder runs' paths are relative to (the database's folder).</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>Opens (creating when absent) the registry at <paramref name="path"/>.</summary>
    public static RunRegistry Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 30 }.ToString());
        try
        {
            connection.Open();
            Execute(connection, null, "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                var version = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
                if (version > SchemaVersion)
                {
                    throw new UserInputException($"{full} was written by a newer PipeRL (schema {version}); rebuild it with 'piperl runs --rebuild' or update PipeRL.");
                }

                var columns = string.Join(", ", Columns.Select(c => c switch
                {
                    "path" => "path TEXT PRIMARY KEY",
                    "seed" or "steps" or "ticks" or "env_steps" or "delay_ticks" => c + " INTEGER",
                    "train_seconds" or "sampled_mean" or "sampled_std" or "greedy_mean" or "greedy_std" => c + " REAL",
                    _ => c + " TEXT",
                }));
                Execute(connection, transaction, $"CREATE TABLE IF NOT EXISTS runs ({columns}); PRAGMA user_version = {SchemaVersion};");
                transaction.Commit();
            }

            return new RunRegistry(full, connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new UserInputException($"Cannot open the run registry {full}: {ex.Message} Delete it and run 'piperl runs --rebuild' (the run folders keep everything).", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The registry of <paramref name="run"/>: the nearest <see cref="FileName"/> in a folder above it, or a new one in
    /// its parent folder when there is none.
    /// </summary>
    public static string PathFor(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        for (var dir = Directory.GetParent(run.Path); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(run.Path)!, FileName);
    }

    /// <summary>
    /// Indexes <paramref name="run"/> as it is now in the registry at <paramref name="registryPath"/>; a registry that
    /// cannot be written (locked for too long, damaged) costs a one-line warning on <paramref name="console"/>, not the run.
    /// </summary>
    public static void Record(string registryPath, RunFolder run, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(console);
        try
        {
            using var registry = Open(registryPath);
            registry.Upsert(RunRecord.Read(run, registry.Folder));
        }
        catch (Exception ex) when (ex is SqliteException or UserInputException or IOException)
        {
            console.WriteLine($"warning: run registry {registryPath} not updated ({ex.Message}); 'piperl runs --rebuild' reindexes the run folders.");
        }
    }

    /// <summary>Inserts <paramref name="record"/> or replaces the row with its path.</summary>
    public void Upsert(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var transaction = _connection.BeginTransaction(deferred: false);
        Insert(record, transaction);
        transaction.Commit();
    }

    /// <summary>
    /// Reindexes every run folder (a folder with a config.json) up to three levels below the registry's folder, in one
    /// transaction; folders that cannot be read are reported on <paramref name="console"/> and left out. Returns the count indexed.
    /// </summary>
    public int Rebuild(TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var records = new List<RunRecord>();
        foreach (var folder in RunFolders(Folder, depth: 3))
        {
            try
            {
                records.Add(RunRecord.Read(new RunFolder(folder), Folder));
            }
            catch (UserInputException ex)
            {
                console.WriteLine($"skipped {folder}: {ex.Message}");
            }
        }

        using var transaction = _connection.BeginTransaction(deferred: false);
        using (var delete = _connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM runs;";
            delete.ExecuteNonQuery();
        }

        foreach (var record in records)
        {
            Insert(record, transaction);
        }

        transaction.Commit();
        return records.Count;
    }

    /// <summary>
    /// The runs matching <paramref name="filter"/> (all without one), ordered by path. A row still marked running whose process has ended
    /// (killed) is read again from its folder and corrected.
    /// </summary>
    public IReadOnlyList<RunRecord> List(RunFilter? filter = null)
    {
        var records = new List<RunRecord>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = $"SELECT {string.Join(", ", Columns)} FROM runs ORDER BY path;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                records.Add(FromRow(reader));
            }
        }

        for (var i = 0; i < records.Count; i++)
        {
            var folder = new RunFolder(System.IO.Path.Combine(Folder, records[i].Path));
            if (records[i].Status == "running" && folder.HasConfig && !RunLock.IsHeld(folder))
            {
                records[i] = RunRecord.Read(folder, Folder);
                Upsert(records[i]);
            }
        }

        return filter is null ? records : [.. records.Where(filter.Matches)];
    }

    /// <summary>
    /// The run named <paramref name="nameOrPath"/>: its path relative to the registry, or a folder name that only one run
    /// has; a <see cref="UserInputException"/> names the candidates otherwise.
    /// </summary>
    public RunRecord Find(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        var all = List();
        var relative = System.IO.Path.IsPathRooted(nameOrPath) || Directory.Exists(nameOrPath)
            ? System.IO.Path.GetRelativePath(Folder, System.IO.Path.GetFullPath(nameOrPath)).Replace('\\', '/')
            : nameOrPath.Trim('/');
        var exact = all.FirstOrDefault(r => r.Path == relative);
        if (exact is not null)
        {
            return exact;
        }

        var named = all.Where(r => r.Name == nameOrPath).ToList();
        return named.Count switch
        {
            1 => named[0],
            0 => throw new UserInputException($"No run '{nameOrPath}' in {Path}; 'piperl runs' lists them ('--rebuild' reindexes the folders)."),
            _ => throw new UserInputException($"'{nameOrPath}' names {named.Count} runs: {string.Join(", ", named.Select(r => r.Path))}; give one of these paths."),
        };
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private static IEnumerable<string> RunFolders(string root, int depth)
    {
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (new RunFolder(dir).HasConfig)
            {
                yield return dir;
            }
            else if (depth > 1)
            {
                foreach (var nested in RunFolders(dir, depth - 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private void Insert(RunRecord r, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT OR REPLACE INTO runs ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select(c => "$" + c))});";
        object?[] values =
        [
            r.Path, r.Name, r.Study, r.Env, r.Arch, r.Tau, r.Seed, r.Algo, r.Preset, r.Steps, r.Status, r.Config, r.Version,
            r.GitCommit, r.CommandLine, r.StartedUtc, r.UpdatedUtc, r.Ticks, r.EnvSteps, r.TrainSeconds, r.DelayTicks,
            Finite(r.SampledMean), Finite(r.SampledStd), Finite(r.GreedyMean), Finite(r.GreedyStd),
        ];
        for (var i = 0; i < Columns.Count; i++)
        {
            command.Parameters.AddWithValue("$" + Columns[i], values[i] ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static RunRecord FromRow(SqliteDataReader row)
    {
        string Text(int i) => row.IsDBNull(i) ? string.Empty : row.GetString(i);
        long? Long(int i) => row.IsDBNull(i) ? null : row.GetInt64(i);
        double? Real(int i) => row.IsDBNull(i) ? null : row.GetDouble(i);
        return new RunRecord
        {
            Path = Text(0), Name = Text(1), Study = Text(2), Env = Text(3), Arch = Text(4), Tau = Text(5), Seed = (int)(Long(6) ?? 0),
            Algo = Text(7), Preset = Text(8), Steps = Long(9) ?? 0, Status = Text(10), Config = Text(11), Version = Text(12),
            GitCommit = Text(13), CommandLine = Text(14), StartedUtc = Text(15), UpdatedUtc = Text(16), Ticks = Long(17),
            EnvSteps = Long(18), TrainSeconds = Real(19), DelayTicks = (int?)Long(20), SampledMean = Real(21),
            SampledStd = Real(22), GreedyMean = Real(23), GreedyStd = Real(24),
        };
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
