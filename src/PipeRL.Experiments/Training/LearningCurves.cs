using System.Globalization;
using System.Text;
using PipeRL.Experiments.Runs;

namespace PipeRL.Experiments.Training;

/// <summary>
/// Learning curves read from runs' <c>metrics.csv</c>: every finished training episode, and every evaluation during
/// training (<c>--eval-every</c>) with its sampled and greedy mean return.
/// </summary>
public static class LearningCurves
{
    /// <summary>The columns every curve row of <c>curves.csv</c> ends with, after the caller's leading columns.</summary>
    public const string Columns = "tick,env_steps,episode_return,eval_sampled_return,eval_greedy_return";

    /// <summary>The episode and evaluation rows of <paramref name="metricsPath"/>, in file order.</summary>
    public static RunCurves Read(string metricsPath)
    {
        var episodes = new List<(long EnvSteps, double Return)>();
        var evaluations = new List<EvaluationPoint>();
        foreach (var (cells, sampled, greedy) in Rows(metricsPath))
        {
            if (cells[0] == "episode")
            {
                episodes.Add((Long(cells[2]), Double(cells[4])));
            }
            else
            {
                evaluations.Add(new EvaluationPoint(Long(cells[1]), Long(cells[2]), Double(cells[sampled]), Double(cells[greedy])));
            }
        }

        return new RunCurves(episodes, evaluations);
    }

    /// <summary>
    /// Appends to <paramref name="curves"/> the episode and evaluation rows of <paramref name="metricsPath"/>, each starting
    /// with <paramref name="leading"/> (comma-separated cells, no trailing comma); an episode row leaves the evaluation
    /// cells empty, an evaluation row the episode return.
    /// </summary>
    public static void Append(StringBuilder curves, string leading, string metricsPath)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var c = CultureInfo.InvariantCulture;
        foreach (var (cells, sampled, greedy) in Rows(metricsPath))
        {
            if (cells[0] == "episode")
            {
                curves.Append(c, $"{leading},{cells[1]},{cells[2]},{cells[4]},,\n");
            }
            else
            {
                curves.Append(c, $"{leading},{cells[1]},{cells[2]},,{cells[sampled]},{cells[greedy]}\n");
            }
        }
    }

    /// <summary>
    /// The cells of every episode row and every evaluation row (the latter only when the header names the evaluation
    /// columns), with the indices of those columns.
    /// </summary>
    private static IEnumerable<(string[] Cells, int Sampled, int Greedy)> Rows(string metricsPath)
    {
        using var lines = File.ReadLines(metricsPath).GetEnumerator();
        var header = lines.MoveNext() ? lines.Current.Split(',') : [];
        var sampled = Array.IndexOf(header, MetricsWriter.EvaluationColumns[0]);
        var greedy = Array.IndexOf(header, MetricsWriter.EvaluationColumns[1]);
        while (lines.MoveNext())
        {
            var cells = lines.Current.Split(',');
            if (cells[0] == "episode" || (cells[0] == "eval" && sampled >= 0 && greedy >= 0))
            {
                yield return (cells, sampled, greedy);
            }
        }
    }

    private static long Long(string cell) => long.Parse(cell, CultureInfo.InvariantCulture);

    private static double Double(string cell) => double.Parse(cell, CultureInfo.InvariantCulture);
}
