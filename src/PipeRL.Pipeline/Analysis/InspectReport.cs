using System.Globalization;
using System.Text;
using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Analysis;

/// <summary>The text <c>piperl inspect</c> prints: layers with shapes and parameters, same-tick wiring, and delays.</summary>
public static class InspectReport
{
    private static readonly string[] Header = ["layer", "kind", "reads", "output", "params"];

    /// <summary>Renders <paramref name="graph"/>; with <paramref name="instant"/> every delay is zero (the whole graph runs per tick).</summary>
    public static string Render(PipelineGraph graph, Tau tau, bool instant = false, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var text = new StringBuilder();
        if (title is not null)
        {
            text.AppendLine(title);
        }

        text.AppendLine(Invariant($"Mode: {(instant ? "instant (whole graph per tick, zero delay)" : "pipelined (one layer per tick)")}; tau = {tau} ({TauText(tau)})"));
        text.AppendLine();
        AppendLayers(text, graph);
        AppendSameTick(text, graph);
        foreach (var report in DelayAnalysis.Analyze(graph))
        {
            AppendDelays(text, report, tau, instant);
        }

        return text.ToString();
    }

    private static string TauText(Tau tau) => tau.TicksPerEnvStep == 1
        ? Invariant($"one tick = {tau.EnvStepsPerTick} env step{(tau.EnvStepsPerTick == 1 ? string.Empty : "s")}, action repeated")
        : Invariant($"{tau.TicksPerEnvStep} ticks per env step, observation held, last tick's action applied");

    private static void AppendLayers(StringBuilder text, PipelineGraph graph)
    {
        var rows = new List<string[]> { Header };
        foreach (var layer in graph.Layers)
        {
            var kind = GraphJson.KindName(layer.Kind);
            if (layer.Kind is LayerKind.Dense or LayerKind.Conv2d or LayerKind.Activation && layer.Spec.Activation != Activation.None)
            {
                kind += " " + layer.Spec.Activation.ToString().ToLowerInvariant();
            }

            if (layer.Kind == LayerKind.Pool)
            {
                kind += Invariant($" {GraphJson.PoolModeName(layer.Spec.Pool)} {layer.Spec.Kernel}x{layer.Spec.Kernel}");
            }

            if (layer.Kind == LayerKind.Conv2d)
            {
                kind += Invariant($" {layer.Spec.Kernel}x{layer.Spec.Kernel}/{Math.Max(1, layer.Spec.Stride)} pad {layer.Spec.Padding}");
            }

            var reads = string.Join(", ", layer.Inputs.Select(e => graph.Layers[e.Source].Name + (e.Timing == TickTiming.PreviousTick ? "@t-1" : "@t")));
            rows.Add([layer.Name, kind, reads, ShapeText(layer.OutputShape), layer.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)]);
        }

        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.Append("  ");
            for (var c = 0; c < 5; c++)
            {
                text.Append(c == 4 ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c] + 2));
            }

            text.AppendLine();
        }

        text.AppendLine(Invariant($"  total parameters: {graph.ParameterCount:N0}"));
        text.AppendLine();
    }

    private static void AppendSameTick(StringBuilder text, PipelineGraph graph)
    {
        foreach (var layer in graph.Layers)
        {
            foreach (var edge in layer.Inputs.Where(e => e.Timing == TickTiming.SameTick && graph.Layers[e.Source].IsComputing))
            {
                text.AppendLine($"Same-tick: {layer.Name} reads {graph.Layers[edge.Source].Name} from the same tick (both compute in one tick).");
            }
        }
    }

    private static void AppendDelays(StringBuilder text, DelayReport report, Tau tau, bool instant)
    {
        text.AppendLine();
        text.AppendLine($"Delay from '{report.Input}' to the action of '{report.Head}':");
        if (instant)
        {
            text.AppendLine("  minimum delay     0 ticks = 0 env steps (instant)");
            text.AppendLine("  receptive window  0 ticks = 0 env steps (instant)");
            return;
        }

        text.AppendLine("  minimum delay     " + Ticks(report.MinimumDelay, tau));
        text.AppendLine("  receptive window  " + (report.ReceptiveWindow is { } window ? Ticks(window, tau) : "unbounded (recurrent)"));
        if (report.Delays.Count > 0)
        {
            text.AppendLine("  delays (ticks)    " + string.Join(", ", report.Delays));
        }

        text.AppendLine(Invariant($"  paths ({report.Paths.Count}{(report.PathsTruncated ? ", more not listed" : string.Empty)}; ticks, env steps, computing layers; '->' same tick, '=>' next tick):"));
        foreach (var path in report.Paths)
        {
            text.AppendLine(Invariant($"    {path.Ticks,4} {Number(tau.EnvSteps(path.Ticks)),6} {path.ComputingLayers,4}   {path}"));
        }
    }

    private static string Ticks(int ticks, Tau tau)
    {
        var line = Invariant($"{ticks} tick{(ticks == 1 ? string.Empty : "s")} = {Number(tau.EnvSteps(ticks))} env steps");
        return tau.TicksPerEnvStep == 1
            ? line
            : Invariant($"{line} (first affected action applied {tau.ActionDelayInEnvSteps(ticks)} env steps later)");
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string ShapeText(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
