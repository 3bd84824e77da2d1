using PipeRL.Pipeline.Analysis;
using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Catalogue;

/// <summary>A catalogue architecture: its graph, the mode it runs in, and the names of its input and policy head.</summary>
public sealed record Architecture
{
    /// <summary>The catalogue name, e.g. <c>temporal-skip</c>.</summary>
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

    /// <summary>The delays from the input to the policy head, in the architecture's mode (all zero when instant).</summary>
    public DelayReport Delays()
    {
        var report = DelayAnalysis.Analyze(Graph, Input, PolicyHead);
        return Mode == ExecutionMode.Pipelined
            ? report
            : report with { MinimumDelay = 0, ReceptiveWindow = 0, Delays = [0] };
    }
}
