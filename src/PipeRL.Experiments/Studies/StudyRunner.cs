using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Studies;

/// <summary>
/// <c>piperl study</c>: trains every (env, architecture, seed) of a <see cref="StudyOptions"/> into one study folder
/// (a run folder each), then writes the over-seeds table (<c>study.md</c>) and the learning curves (<c>curves.csv</c>).
/// </summary>
public static class StudyRunner
{
    /// <summary>The train configs of the study, validated (so a bad option fails before anything is written).</summary>
    public static IReadOnlyList<TrainPlan> Plan(StudyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequireDistinct("envs", options.Envs);
        RequireDistinct("architectures", options.Architectures);
        RequireDistinct("seeds", [.. options.Seeds.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var ppo = TrainConfig.PresetOptions(options.Preset);
        return [.. from env in options.Envs
                   from arch in options.Architectures
                   from seed in options.Seeds
                   select TrainPlan.Prepare(new TrainConfig
                   {
                       Name = $"{env.Replace('/', '-')}_{arch}_s{seed}",
                       Env = env,
                       Arch = arch,
                       Tau = Tau.One,
                       Steps = options.Steps,
                       Seed = seed,
                       Preset = options.Preset,
                       Ppo = ppo,
                       EvalEpisodes = options.EvalEpisodes,
                       Threads = options.Threads,
                   })];
    }

    /// <summary>
    /// Runs <paramref name="plans"/>, <paramref name="parallel"/> at a time, into a new folder named <c>study</c> of
    /// <paramref name="store"/>; returns the folder and the table.
    /// </summary>
    public static (string Folder, string Table) Run(IReadOnlyList<TrainPlan> plans, RunStore store, TextWriter console, int parallel = 1)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(store);
        var folder = store.Create("study");
        ParallelRuns.Run(plans, new RunStore(folder.Path), console, parallel, p => p.Config.ResolvedName);
        return (folder.Path, Report(folder.Path));
    }

    /// <summary>(Re)writes the report of the finished runs in <paramref name="folder"/> and returns its table.</summary>
    public static string Report(string folder)
    {
        var (runs, unfinished) = StudyRun.LoadAll(folder);
        return StudyReport.Write(folder, runs, unfinished);
    }

    private static void RequireDistinct(string option, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            throw new UserInputException($"The study's {option} need at least one value.");
        }

        var repeated = values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new UserInputException($"The study's {option} list '{repeated.Key}' twice.");
        }
    }
}
