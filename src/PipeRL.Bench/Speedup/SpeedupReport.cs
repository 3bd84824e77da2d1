using System.Globalization;
using System.Text;
using PipeRL.Bench.Harness;

namespace PipeRL.Bench.Speedup;

/// <summary>The speed-up table (text and CSV) of <see cref="SpeedupBench"/>'s rows.</summary>
public static class SpeedupReport
{
    private static readonly string[] Header = ["Depth", "Implementation", "Median", "Min", "P90", "Speed-up", "Actions/s", "Paced median", "Paced speed-up"];

    /// <summary>Writes the table, one row per depth and implementation, and its legend.</summary>
    public static void Write(IReadOnlyList<SpeedupRow> rows, SpeedupOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var table = new List<string[]> { Header };
        table.AddRange(rows.Select(r => new[]
        {
            r.Depth.ToString(CultureInfo.InvariantCulture), r.Implementation, Time(r.Median), Time(r.Min), Time(r.P90),
            r.Implementation == SpeedupBench.Sequential ? "-" : Percent(r.SpeedupPercent),
            double.IsNaN(r.Median) ? "-" : r.ActionsPerSecond.ToString("#,0", CultureInfo.InvariantCulture),
            Time(r.PacedMedian),
            r.Implementation == SpeedupBench.Sequential ? "-" : Percent(r.PacedSpeedupPercent),
        }));
        var widths = Enumerable.Range(0, Header.Length).Select(c => table.Max(row => row[c].Length)).ToArray();
        for (var i = 0; i < table.Count; i++)
        {
            output.WriteLine(string.Join("  ", table[i].Select((cell, c) => c == 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
            if (i == 0)
            {
                output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pipelined MLPs: {options.Observation} observations, hidden width {options.Width}, Gaussian head of {options.Actions} actions, batch {options.Batch}; depth = dense layers, the head included."));
        output.WriteLine("sequential: the forward pass, one layer after another on this tick's input (what a network that is not pipelined needs per action).");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"layers: the pipelined tick layer by layer on one thread; parallel: with a pool of {options.Threads} threads as its cost model chooses, on one thread while its timing checks find that faster; parallel-always: forks every tick;"));
        output.WriteLine("parallel-overlapped: parallel whose ticks return once the caller's layers are done, the workers' finishing during the next tick (for inference: the weights hold still between ticks);");
        output.WriteLine("fused-dense / fused-sparse: the tick as one block-structured product, the whole matrix / only its blocks ('-': dense weight over the limit);");
        output.WriteLine("fused-dense is measured last, depth by depth, against the sequential pass measured again beside it (its weight, once freed, slowed the next depth's parallel row).");
        output.WriteLine("Speed-up = (t_sequential / t - 1) x 100 %, both measured in turn in one process; Actions/s = 1 / median.");
        output.WriteLine("The progress lines and the CSV give the cross-core round trip (two threads passing a counter) just before and after each depth's tight loop: a split tick pays at least one.");
        output.WriteLine(options.PacedInterval > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"Paced: one tick every {options.PacedInterval.TotalMilliseconds:0.###} ms (the machine idle between, workers gone to sleep), median of {options.PacedTicks} ticks.")
            : "Paced: not measured (--paced-ms 0).");
    }

    /// <summary>The rows as CSV (times in microseconds; empty cells where not measured).</summary>
    public static string Csv(IReadOnlyList<SpeedupRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder("depth,implementation,median_us,min_us,p90_us,speedup_percent,actions_per_second,paced_median_us,paced_speedup_percent,round_trip_before_us,round_trip_after_us\n");
        foreach (var r in rows)
        {
            string[] cells =
            [
                r.Depth.ToString(CultureInfo.InvariantCulture), r.Implementation, Number(r.Median * 1e6), Number(r.Min * 1e6), Number(r.P90 * 1e6),
                Number(r.SpeedupPercent), Number(r.ActionsPerSecond), Number(r.PacedMedian * 1e6), Number(r.PacedSpeedupPercent),
                Number((r.RoundTripBefore * 1e6) ?? double.NaN), Number((r.RoundTripAfter * 1e6) ?? double.NaN),
            ];
            text.Append(string.Join(',', cells)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One progress line: the depth and each implementation's speed-up.</summary>
    public static string ProgressLine(int depth, IEnumerable<SpeedupRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var parts = list.Where(r => r.Implementation != SpeedupBench.Sequential).Select(r => $"{r.Implementation} {Percent(r.SpeedupPercent)}");
        var roundTrip = list.Count > 0 && (list[0].RoundTripBefore is not null || list[0].RoundTripAfter is not null)
            ? $" ({CoreRoundTrip.Describe(list[0].RoundTripBefore, list[0].RoundTripAfter)})"
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"depth {depth,3}: {string.Join(", ", parts)}{roundTrip}");
    }

    private static string Time(double seconds) => double.IsNaN(seconds) ? "-" : Harness.BenchReport.FormatTime(seconds);

    private static string Percent(double value) => double.IsNaN(value) ? "-" : value.ToString("+0;-0;0", CultureInfo.InvariantCulture) + " %";

    private static string Number(double value) => double.IsNaN(value) ? string.Empty : value.ToString("0.###", CultureInfo.InvariantCulture);
}
