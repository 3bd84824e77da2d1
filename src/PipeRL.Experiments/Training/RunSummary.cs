using System.Globalization;
using System.Text;
using PipeRL.Agents.Evaluation;
using PipeRL.Experiments.Configs;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Training;

/// <summary>A run's outcome as written to <c>evaluation.json</c> and <c>summary.md</c>.</summary>
/// <param name="Env">The env id.</param>
/// <param name="Arch">The actor architecture.</param>
/// <param name="Tau">The tick length in env steps (k or 1/m).</param>
/// <param name="DelayTicks">The actor's minimum delay in ticks.</param>
/// <param name="Ticks">Training ticks over all envs.</param>
/// <param name="EnvSteps">The env steps those ticks took, counted as taken (fewer than ticks × k when episodes end inside an action repeat).</param>
/// <param name="TrainSeconds">Wall time of training.</param>
/// <param name="Sampled">Evaluation with sampled actions.</param>
/// <param name="Greedy">Evaluation with the most probable actions.</param>
public sealed record RunSummary(string Env, string Arch, Tau Tau, int DelayTicks, long Ticks, long EnvSteps, double TrainSeconds, EvaluationResult Sampled, EvaluationResult Greedy)
{
    /// <summary>Summarises a finished run of <paramref name="config"/> that took <paramref name="envSteps"/> env steps.</summary>
    public static RunSummary Of(TrainConfig config, int delayTicks, long envSteps, double trainSeconds, EvaluationResult sampled, EvaluationResult greedy)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.Env, config.Arch, config.Tau, delayTicks, config.TrainTicks(), envSteps, trainSeconds, sampled, greedy);
    }

    /// <summary>Env steps per second of training.</summary>
    public double StepsPerSecond => TrainSeconds > 0 ? EnvSteps / TrainSeconds : 0;

    /// <summary>The summary as Markdown.</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"# {Arch} on {Env}, tau {Tau}");
        sb.AppendLine();
        sb.AppendLine(c, $"- delay: {Tau.DescribeTicks(DelayTicks)}");
        sb.AppendLine(c, $"- training: {Ticks:N0} ticks = {EnvSteps:N0} env steps in {TrainSeconds:0.0} s ({StepsPerSecond:N0} env steps/s)");
        sb.AppendLine();
        sb.AppendLine("| evaluation | episodes | mean return | std | truncated |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var e in new[] { Sampled, Greedy })
        {
            sb.AppendLine(c, $"| {(e.Greedy ? "greedy" : "sampled")} | {e.Returns.Count} | {e.Mean:0.00} | {e.Std:0.00} | {e.Truncated} |");
        }

        return sb.ToString();
    }
}
