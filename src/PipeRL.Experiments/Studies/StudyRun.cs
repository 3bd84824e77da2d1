using System.Text.Json;
using System.Text.Json.Serialization;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Training;

namespace PipeRL.Experiments.Studies;

/// <summary>One finished run of a study: its summary, the seed it was trained with and its actor's label in the study.</summary>
/// <param name="Summary">The run's evaluation summary.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="MetricsPath">The run's metrics (CSV).</param>
public sealed record StudyRun(RunSummary Summary, int Seed, string MetricsPath)
{
    /// <summary>The actor's label: its name in the study (a variant of an architecture has its own), else the architecture.</summary>
    public string Label { get; init; } = Summary.Arch;

    private static readonly JsonSerializerOptions Lenient = new(ConfigJson.ReportOptions) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    /// <summary>Reads a finished run folder, or returns null when it has no evaluation yet (unfinished or interrupted).</summary>
    public static StudyRun? Load(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.HasConfig || !File.Exists(run.EvaluationPath))
        {
            return null;
        }

        try
        {
            var summary = JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(run.EvaluationPath), Lenient)
                ?? throw new JsonException("empty");
            if (summary.Env is null || summary.Arch is null || summary.Sampled?.Returns is null || summary.Greedy?.Returns is null)
            {
                throw new JsonException("env, arch, sampled.returns and greedy.returns must all be given");
            }

            var config = run.ReadConfig();
            if (summary.EnvSteps == 0 && summary.Ticks > 0)
            {
                // Evaluations written before env steps were recorded: the config says how many the ticks took.
                summary = summary with { EnvSteps = config.EnvSteps(summary.Ticks) };
            }

            return new StudyRun(summary, config.Seed, run.MetricsPath);
        }
        catch (JsonException ex)
        {
            throw new UserInputException($"{run.EvaluationPath} is not a run evaluation ({ex.Message}); move that run out of the study folder or train it again.", ex);
        }
    }

    /// <summary>
    /// The finished runs in the sub-folders of <paramref name="folder"/>, labelled by its manifest, ordered by env, τ,
    /// label (<c>instant</c> first) and seed; also counts the unfinished ones.
    /// </summary>
    public static (IReadOnlyList<StudyRun> Runs, int Unfinished) LoadAll(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new UserInputException($"No study folder {folder}: give a folder a study wrote (study under the folder of runs by default).");
        }

        var labels = StudyManifest.Read(folder);
        var runs = new List<StudyRun>();
        var unfinished = 0;
        foreach (var path in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            var run = new RunFolder(path);
            if (!run.HasConfig)
            {
                continue;
            }

            if (Load(run) is { } loaded)
            {
                runs.Add(labels.TryGetValue(run.Name, out var label) ? loaded with { Label = label } : loaded);
            }
            else
            {
                unfinished++;
            }
        }

        return ([.. runs.OrderBy(r => r.Summary.Env, StringComparer.Ordinal)
            .ThenBy(r => r.Summary.Tau.Value)
            .ThenBy(r => r.Label == StudyArch.Baseline ? 0 : 1)
            .ThenBy(r => r.Label, StringComparer.Ordinal)
            .ThenBy(r => r.Seed)], unfinished);
    }
}
