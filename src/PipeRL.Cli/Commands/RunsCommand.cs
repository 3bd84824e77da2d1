using System.CommandLine;
using System.Globalization;
using PipeRL.Experiments.Registry;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Training;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl runs</c>: the run registry, listed, filtered, rebuilt from the run folders, and two runs compared.</summary>
internal static class RunsCommand
{
    /// <summary>Creates the <c>runs</c> command and its <c>compare</c> subcommand.</summary>
    public static Command Create()
    {
        var runsDir = new Option<string>("--runs-dir") { Description = "Folder of run folders; the registry is its piperl.db.", DefaultValueFactory = _ => RunStore.DefaultRoot, Recursive = true };
        var filter = new Option<string[]>("--filter") { Description = $"KEY=VALUE (also KEY!=VALUE, VALUE a comma list, * any text); repeat to narrow. Keys: {string.Join(", ", RunFilter.Keys)}.", AllowMultipleArgumentsPerToken = false };
        var rebuild = new Option<bool>("--rebuild") { Description = "Reindex every run folder under --runs-dir first (the folders are the source of truth)." };
        var command = new Command("runs", "List the runs in the registry (runs/piperl.db): status, env, actor, tau, seed, scores, commit.") { runsDir, filter, rebuild };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var terms = RunFilter.Parse(parseResult.GetValue(filter) ?? []);
            using var registry = Open(parseResult.GetValue(runsDir)!, parseResult.GetValue(rebuild), output);
            var records = registry.List(terms);
            output.Write(Table(records));
            output.WriteLine($"{records.Count} run(s) in {registry.Path}");
            return PiperlApp.Success;
        });

        var a = new Argument<string>("A") { Description = "A run: its path under --runs-dir (as 'piperl runs' lists it), its folder, or its name when unique." };
        var b = new Argument<string>("B") { Description = "The other run." };
        var compare = new Command("compare", "Show two runs' configs and results side by side; '*' marks what differs.") { a, b };
        compare.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            using var registry = Open(parseResult.GetValue(runsDir)!, rebuild: false, output);
            var first = registry.Find(parseResult.GetValue(a)!);
            var second = registry.Find(parseResult.GetValue(b)!);
            output.Write(RunComparison.Format(first, second));
            return PiperlApp.Success;
        });
        command.Subcommands.Add(compare);
        return command;
    }

    // A registry that does not exist yet is built from the folders, so the first 'piperl runs' lists runs from before it.
    private static RunRegistry Open(string runsDir, bool rebuild, TextWriter output)
    {
        if (!Directory.Exists(runsDir))
        {
            throw new UsageException($"No runs folder {Path.GetFullPath(runsDir)}; train a run first or give --runs-dir.");
        }

        var path = Path.Combine(runsDir, RunRegistry.FileName);
        var fresh = !File.Exists(path);
        var registry = RunRegistry.Open(path);
        if (rebuild || fresh)
        {
            var count = registry.Rebuild(output);
            output.WriteLine($"Indexed {count} run folder(s) under {registry.Folder}.");
        }

        return registry;
    }

    private static string Table(IReadOnlyList<RunRecord> records)
    {
        var c = CultureInfo.InvariantCulture;
        string[] header = ["path", "status", "env", "arch", "tau", "seed", "ticks", "sampled", "greedy", "trained", "commit"];
        var rows = records.Select(r => new[]
        {
            r.Path, r.Status, r.Env, r.Arch, r.Tau, r.Seed.ToString(c), (r.Ticks ?? r.Steps).ToString("N0", c),
            r.SampledMean is { } s ? s.ToString("0.00", c) : "-", r.GreedyMean is { } g ? g.ToString("0.00", c) : "-",
            r.TrainSeconds is { } t ? ProgressPrinter.FormatDuration(t) : "-", r.GitCommit.Length >= 7 ? r.GitCommit[..7] : "-",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new System.Text.StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            sb.Append(string.Join("  ", row.Select((cell, i) => i is 6 or 7 or 8 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }

        return sb.ToString();
    }
}
