using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Catalogue;

/// <summary>
/// The named architectures of the design (section 2), built as graph descriptions for an MLP torso (vector
/// observations) or a CNN torso ([H, W, C] observations).
/// </summary>
public static class ArchitectureCatalogue
{
    /// <summary>The name of every catalogue graph's input layer.</summary>
    public const string InputName = "obs";

    /// <summary>The name of every catalogue graph's policy head.</summary>
    public const string PolicyName = "policy";

    private static readonly (string Name, string Description)[] Entries =
    [
        ("instant", "plain network, whole graph per tick, zero delay [authors' Actor / AgentSeparateActorCritic]"),
        ("pipelined", "plain pipelined network, one layer per tick [authors' ActorSlow / ActorSlowPPO]"),
        ("residual", "residual links between hidden layers, hidden layers and observation to the head [authors' ActorSlowResSkip]"),
        ("hidden-to-head", "every hidden layer projects to the head [authors' ActorSlowSkip, whose head also reads the observation: --observation-to-head]"),
        ("temporal-skip", "observation into every hidden layer and the head [authors' ActorSlowConcat; paper 'w/ skip']"),
        ("temporal-skip-aug", "temporal-skip with the last actions appended to the input [paper 'w/ skip & aug']"),
        ("cnn-skipres", "the authors' MinAtar model, convs chained within one tick (same-tick) [ActorSlowSkipResPPO]"),
        ("cnn-skipres-strict", "cnn-skipres with strictly pipelined convs, one conv per tick [like ActorSlowSkipPPO]"),
        ("lstm", "pipelined network whose later hidden layers are LSTM cells [paper 'w/ LSTM']"),
    ];

    /// <summary>The catalogue's architecture names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Entries.Select(e => e.Name)];

    /// <summary>Builds the architecture <paramref name="name"/>; an unknown name throws, listing the valid ones.</summary>
    public static Architecture Build(string name, ArchitectureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entry = Array.Find(Entries, e => e.Name == name);
        if (entry.Name is null)
        {
            throw new ArgumentException($"Unknown architecture '{name}'; valid: {string.Join(", ", Names)}.", nameof(name));
        }

        Check(options);
        var image = options.ObservationShape.Count == 3;
        var history = options.HistoryLength ?? (name == "temporal-skip-aug" ? (image ? 1 : 2) : 0);
        if (history < 0 || (name == "temporal-skip-aug" && history == 0))
        {
            throw new ArgumentException($"Architecture '{name}' needs a history length >= {(name == "temporal-skip-aug" ? 1 : 0)}, got {history}.", nameof(options));
        }

        var torso = new TorsoBuilder(options, history);
        PipelineGraph graph = image ? torso.Cnn(name) : torso.Mlp(name);
        return new Architecture
        {
            Name = name,
            Graph = graph,
            Mode = name == "instant" ? ExecutionMode.Instant : ExecutionMode.Pipelined,
            HistoryLength = history,
            Description = entry.Description,
        };
    }

    private static void Check(ArchitectureOptions options)
    {
        var shape = options.ObservationShape;
        if (shape is null || (shape.Count != 1 && shape.Count != 3) || shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"The observation shape must be a vector [n] or an image [H, W, C] of positive sizes, got [{string.Join(", ", shape ?? [])}].", nameof(options));
        }

        if (options.Actions < 1)
        {
            throw new ArgumentException($"The number of actions must be at least 1, got {options.Actions}.", nameof(options));
        }

        if (options.HiddenLayers < 1 || options.Width < 1)
        {
            throw new ArgumentException($"An MLP torso needs at least 1 hidden layer of width >= 1, got {options.HiddenLayers} x {options.Width}.", nameof(options));
        }
    }
}
