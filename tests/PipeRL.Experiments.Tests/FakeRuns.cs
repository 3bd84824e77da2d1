using System.Globalization;
using System.Text;
using System.Text.Json;
using PipeRL.Agents.Evaluation;
using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Tests;

/// <summary>Run folders written directly (config, metrics rows, evaluation), for tests of what reads finished runs.</summary>
internal static class FakeRuns
{
    /// <summary>Writes a run folder <paramref name="name"/> under <paramref name="root"/>; with <paramref name="evaluation"/> it is finished.</summary>
    public static RunFolder Write(
        string root, string name, string env, string arch, Tau tau, int seed, double[]? evaluation,
        IReadOnlyList<(long Tick, double Return)>? episodes = null, int delayTicks = 0,
        IReadOnlyList<(long Tick, double Sampled, double Greedy)>? evaluations = null)
    {
        var run = new RunFolder(Path.Combine(root, name));
        Directory.CreateDirectory(run.Path);
        var config = new TrainConfig { Name = name, Env = env, Arch = arch, Tau = tau, Seed = seed, Steps = 4096, Ppo = PpoOptions.Small };
        run.WriteConfig(config);
        string[] stats = ["learning_rate", "policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction", "explained_variance"];
        var evaluating = evaluations is not null;
        var metrics = new StringBuilder(string.Join(',', MetricsWriter.ColumnsFor(evaluating ? [.. stats, .. MetricsWriter.EvaluationColumns] : stats)) + "\n");
        var emptyStats = new string(',', stats.Length + (evaluating ? 2 : 0));
        foreach (var (tick, ret) in episodes ?? [])
        {
            metrics.Append(CultureInfo.InvariantCulture, $"episode,{tick},{config.EnvSteps(tick)},1,{ret},10{emptyStats},\n");
        }

        foreach (var (tick, sampled, greedy) in evaluations ?? [])
        {
            metrics.Append(CultureInfo.InvariantCulture, $"eval,{tick},{config.EnvSteps(tick)},1,,{new string(',', stats.Length)},{sampled},{greedy},\n");
        }

        File.WriteAllText(run.MetricsPath, metrics.ToString());
        if (evaluation is not null)
        {
            var summary = RunSummary.Of(config, delayTicks, config.EnvSteps(config.TrainTicks()), 12.5, new EvaluationResult(false, evaluation, 0), new EvaluationResult(true, [.. evaluation.Select(r => r + 1)], 0));
            File.WriteAllText(run.EvaluationPath, JsonSerializer.Serialize(summary, ConfigJson.ReportOptions));
        }

        return run;
    }
}
