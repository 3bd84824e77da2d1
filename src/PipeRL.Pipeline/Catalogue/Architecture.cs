using PipeRL.Pipeline.Analysis;
using PipeRL.Pipeline.Execution;
using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Catalogue;

/// <summary>An architecture: its graph, the mode it runs in, and the names of its input and policy head.</summary>
public sealed record Architecture
{
    /// <summary>The catalogue name, e.g. <c>temporal-skip</c>, or the graph file's name.</summary>
    public required string Name { get; init; }

    /// <summary>The graph description.</summary>
    public required PipelineGraph Graph { get; init; }

    /// <summary>How the graph is run.</summary>
    public required ExecutionMode Mode { get; init; }

    /// <summary>The input layer's name (the observation, with the action history appended when there is one).</summary>
    public string Input { get; init; } = ArchitectureCatalogue.InputName;

    /// <summary>The policy head's name.</summary>
    public string PolicyHead { get; init; } = ArchitectureCatalogue.PolicyName;

    /// <summary>The number of past actions appended to the observation.</summary>
    public required int HistoryLength { get; init; }

    /// <summary>One line saying what the architecture is and which of the authors' models it matches.</summary>
    public required string Description { get; init; }

    /// <summary>The computing layers on the longest path from the input to the policy head: the ticks one whole-graph pass takes when layers run one after another.</summary>
    public int Depth => GraphDepth(Graph, Graph[Input].Index, Graph[PolicyHead].Index);

    /// <summary>Ticks between two new actions: <see cref="Depth"/> when <see cref="ExecutionMode.Sequential"/>, else 1.</summary>
    public int ActionPeriod => Mode == ExecutionMode.Sequential ? Depth : 1;

    /// <summary>
    /// The delays from the input to the policy head, in the architecture's mode: the graph's own when pipelined, all
    /// zero when instant, and N to 2N − 1 when sequential (an action computed from the input N ticks old is held for N ticks).
    /// </summary>
    public DelayReport Delays()
    {
        var report = DelayAnalysis.Analyze(Graph, Input, PolicyHead);
        switch (Mode)
        {
            case ExecutionMode.Pipelined:
                return report;
            case ExecutionMode.Instant:
                return report with { MinimumDelay = 0, ReceptiveWindow = 0, Delays = [0] };
            default:
                var n = Depth;
                return report with { MinimumDelay = n, ReceptiveWindow = (2 * n) - 1, Delays = [.. Enumerable.Range(n, n)] };
        }
    }

    /// <summary>The same architecture run in <paramref name="mode"/>.</summary>
    public Architecture WithMode(ExecutionMode mode) => this with { Mode = mode };

    private static int GraphDepth(PipelineGraph graph, int input, int head)
    {
        var order = TickPlan.WholeGraphOrder(graph)
            ?? throw new GraphException("A graph whose previous-tick edges form a loop has no whole-graph pass, so it cannot run instant or sequential.");
        var depth = new int[graph.Layers.Count];
        Array.Fill(depth, int.MinValue);
        depth[input] = 0;
        foreach (var l in order)
        {
            var layer = graph.Layers[l];
            foreach (var edge in layer.Inputs)
            {
                if (depth[edge.Source] != int.MinValue)
                {
                    depth[l] = Math.Max(depth[l], depth[edge.Source] + (layer.IsComputing ? 1 : 0));
                }
            }
        }

        return Math.Max(depth[head], 1);
    }
}
