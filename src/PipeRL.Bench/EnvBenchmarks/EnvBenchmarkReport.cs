using System.Globalization;
using System.Runtime.InteropServices;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>Writes env benchmark results as a header, a Markdown table and a legend (BenchmarkDotNet's layout).</summary>
public static class EnvBenchmarkReport
{
    /// <summary>Writes the machine header that precedes the rows.</summary>
    public static void WriteHeader(TextWriter output, TimeSpan duration)
    {
        output.WriteLine($"PipeRL env benchmark: random policy, resets included, {duration.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s per row");
        output.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}");
        output.WriteLine($"The rows of an env run in turn, {EnvBenchmarkRunner.DefaultSlices} slices each, so other processes on the cores slow them alike:");
        output.WriteLine("compare rows of one env in one run (Ratio), and steps per CPU-second across runs.");
        output.WriteLine();
        output.WriteLine("| Env | Mode | Envs | Threads | Env steps/s | Steps/CPU-s | × ref | Ratio | × 1 thread |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    }

    /// <summary>
    /// Writes one row of <paramref name="envRows"/>, the rows of its env in the order they were run: the first is the 1.00 of
    /// the ratios, and a row on more threads is also compared with the row of the same mode and sub-envs on one thread.
    /// </summary>
    public static void WriteRow(TextWriter output, EnvBenchmarkResult result, IReadOnlyList<EnvBenchmarkResult> envRows)
    {
        var c = result.Case;
        var ratio = result.StepsPerSecond / envRows[0].StepsPerSecond;
        var reference = c.ReferenceStepsPerSecond is { } r ? (result.StepsPerCpuSecond / r).ToString("0.0", CultureInfo.InvariantCulture) : "-";
        var oneThread = c.Threads > 1
            ? envRows.FirstOrDefault(o => o.Case.Mode == c.Mode && o.Case.NumEnvs == c.NumEnvs && o.Case.Threads == 1)
            : null;
        var overOneThread = oneThread is null ? "-" : (result.StepsPerSecond / oneThread.StepsPerSecond).ToString("0.00", CultureInfo.InvariantCulture);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {c.Env} | {c.Mode} | {c.NumEnvs} | {c.Threads} | {result.StepsPerSecond:N0} | {result.StepsPerCpuSecond:N0} | {reference} | {ratio:0.00} | {overOneThread} |"));
    }

    /// <summary>Writes a line for a family that could not run.</summary>
    public static void WriteUnavailable(TextWriter output, string family, string reason) =>
        output.WriteLine($"| {family} | skipped: {reason} | | | | | | | |");

    /// <summary>Writes the legend under the table.</summary>
    public static void WriteLegend(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Env steps/s: env steps per wall-clock second (a vector env step of N sub-envs counts N).");
        output.WriteLine("Steps/CPU-s: env steps per second of process CPU time, all threads together.");
        output.WriteLine("× ref: steps per CPU-second over the reference implementation's single-thread steps/s, a per-core speed-up that a busy machine does not distort");
        output.WriteLine("       (MinAtar: Python 1.0.15 with the observation built every step, on this 2-core AMD EPYC; MinAtar spec, section 8;");
        output.WriteLine("       MuJoCo: a plain P/Invoke env loop of the same tasks in CPU time on that machine kind; MuJoCo facts, section 2).");
        output.WriteLine("Ratio: env steps/s over the env's first row in this run.");
        output.WriteLine("× 1 thread: a row on more threads, its env steps/s over the row of the same mode and sub-envs on one thread.");
    }
}
