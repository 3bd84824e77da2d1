using System.Globalization;
using System.Text;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Demo;

/// <summary>
/// <c>piperl demo</c>: trains each demo architecture in turn into one demo folder (a run folder per architecture),
/// then writes the normalised-return table (<c>demo.md</c>) and the learning curves (<c>curves.csv</c>).
/// </summary>
public static class DemoRunner
{
    /// <summary>The train configs of the demo, validated (so a bad option fails before anything is written).</summary>
    public static IReadOnlyList<TrainPlan> Plan(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [.. DemoOptions.Architectures.Select(arch => TrainPlan.Prepare(new TrainConfig
        {
            Name = arch,
            Env = options.Env,
            Arch = arch,
            Tau = Tau.One,
            Steps = options.Steps,
            Seed = options.Seed,
            Preset = "small",
            Ppo = TrainConfig.PresetOptions("small"),
            EvalEpisodes = options.EvalEpisodes,
            Threads = options.Threads,
        }))];
    }

    /// <summary>
    /// Runs <paramref name="plans"/>, <paramref name="parallel"/> at a time (each single-threaded), into a new folder
    /// named <c>demo</c> of <paramref name="store"/>; returns the folder and the table.
    /// </summary>
    public static (string Folder, string Table) Run(IReadOnlyList<TrainPlan> plans, RunStore store, TextWriter console, int parallel = 1)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        var folder = store.Create("demo");
        var results = ParallelRuns.Run(plans, new RunStore(folder.Path), console, parallel, p => p.Config.Arch);
        var summaries = results.Select(r => r.Summary).ToList();
        var curves = new StringBuilder("arch," + LearningCurves.Columns + "\n");
        for (var i = 0; i < plans.Count; i++)
        {
            LearningCurves.Append(curves, plans[i].Config.Arch, results[i].Run.MetricsPath);
        }

        var c = plans[0].Config;
        var table = DemoReport.Table(summaries);
        var md = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# PipeRL demo: {c.Env}, tau 1, small network, {summaries[0].Ticks:N0} ticks per actor, seed {c.Seed}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Final evaluation over {c.EvalEpisodes} episodes; returns normalised by the undelayed `instant` actor's.")
            .AppendLine()
            .Append(table)
            .ToString();
        AtomicFile.WriteAllText(Path.Combine(folder.Path, "demo.md"), md);
        AtomicFile.WriteAllText(Path.Combine(folder.Path, "curves.csv"), curves.ToString());
        return (folder.Path, table);
    }
}
