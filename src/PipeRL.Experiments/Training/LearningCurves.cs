using System.Text;

namespace PipeRL.Experiments.Training;

/// <summary>Learning curves as CSV: one row per finished training episode, read from runs' <c>metrics.csv</c>.</summary>
public static class LearningCurves
{
    /// <summary>The columns every curve row ends with, after the caller's leading columns.</summary>
    public const string Columns = "tick,env_steps,episode_return";

    /// <summary>Appends to <paramref name="curves"/> the episode rows of <paramref name="metricsPath"/>, each starting with <paramref name="leading"/> (comma-separated cells, no trailing comma).</summary>
    public static void Append(StringBuilder curves, string leading, string metricsPath)
    {
        ArgumentNullException.ThrowIfNull(curves);
        foreach (var line in File.ReadLines(metricsPath).Skip(1))
        {
            var cells = line.Split(',');
            if (cells[0] == "episode")
            {
                curves.Append(leading).Append(',').Append(cells[1]).Append(',').Append(cells[2]).Append(',').Append(cells[4]).Append('\n');
            }
        }
    }
}
