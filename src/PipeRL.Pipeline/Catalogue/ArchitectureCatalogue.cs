using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Catalogue;

/// <summary>
/// The named architectures of the design (section 2): one table of entries, each a wiring for an MLP torso (vector
/// observations) and/or a CNN torso ([H, W, C] observations), a default execution mode and a default action history.
/// Any entry runs in any execution mode (<see cref="ArchitectureOptions.Execution"/>), so a study can separate the
/// effect of the delay from the effect of the wiring.
/// </summary>
public static class ArchitectureCatalogue
{
    /// <summary>The name of every catalogue graph's input layer.</summary>
    public const string InputName = "obs";

    /// <summary>The name of every catalogue graph's policy head.</summary>
    public const string PolicyName = "policy";

    /// <summary>The name of the critic graph's value head.</summary>
    public const string ValueName = "value";

    private static readonly CatalogueEntry[] Entries =
    [
        new("instant", "plain network, whole graph per tick, zero delay [authors' Actor / AgentSeparateActorCritic]", ExecutionMode.Instant, b => b.MlpPlain(), b => b.CnnPlain()),
        new("pipelined", "plain pipelined network, one layer per tick [authors' ActorSlow / ActorSlowPPO]", ExecutionMode.Pipelined, b => b.MlpPlain(), b => b.CnnPlain()),
        new("sequential", "plain network whose layers run one after another: a new action every N ticks from the observation N ticks old, held meanwhile [no authors' class]", ExecutionMode.Sequential, b => b.MlpPlain(), b => b.CnnPlain()),
        new("residual", "residual links between hidden layers, hidden layers and observation to the head [authors' ActorSlowResSkip]", ExecutionMode.Pipelined, b => b.MlpResidual(), b => b.CnnResidual()),
        new("hidden-to-head", "every hidden layer projects to the head [authors' ActorSlowSkip, whose head also reads the observation: --observation-to-head]", ExecutionMode.Pipelined, b => b.MlpHiddenToHead(), b => b.CnnHiddenToHead()),
        new("temporal-skip", "observation into every hidden layer and the head [authors' ActorSlowConcat; paper 'w/ skip']", ExecutionMode.Pipelined, b => b.MlpTemporalSkip(), b => b.CnnTemporalSkip()),
        new("temporal-skip-aug", "temporal-skip with the last actions appended to the input [paper 'w/ skip & aug'; PipeRL's wiring, not the authors' MinAtar class]", ExecutionMode.Pipelined, b => b.MlpTemporalSkip(), b => b.CnnTemporalSkip(), MlpHistory: 2, CnnHistory: 1),
        new("cnn-skipres", "the authors' MinAtar model, convs chained within one tick (same-tick) [ActorSlowSkipResPPO without the last action]", ExecutionMode.Pipelined, null, b => b.CnnSkipRes(sameTick: true)),
        new("cnn-skipres-aug", "the authors' MinAtar 'skip & aug' model: cnn-skipres with the last action appended [ActorSlowSkipResPPO with the action]", ExecutionMode.Pipelined, null, b => b.CnnSkipRes(sameTick: true), CnnHistory: 1),
        new("cnn-skipres-strict", "cnn-skipres with strictly pipelined convs, one conv per tick [like ActorSlowSkipPPO]", ExecutionMode.Pipelined, null, b => b.CnnSkipRes(sameTick: false)),
        new("lstm", "pipelined network whose later hidden layers are LSTM cells [paper 'w/ LSTM']", ExecutionMode.Pipelined, b => b.MlpLstm(), b => b.CnnLstm()),
    ];

    /// <summary>The catalogue's architecture names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Entries.Select(e => e.Name)];

    /// <summary>The one-line description of catalogue entry <paramref name="name"/>; an unknown name throws, listing the valid ones.</summary>
    public static string Describe(string name) => Find(name).Description;

    /// <summary>The execution mode catalogue entry <paramref name="name"/> runs in unless told otherwise; an unknown name throws, listing the valid ones.</summary>
    public static ExecutionMode DefaultExecution(string name) => Find(name).Execution;

    /// <summary>Builds the architecture <paramref name="name"/>; an unknown name throws, listing the valid ones.</summary>
    public static Architecture Build(string name, ArchitectureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entry = Find(name);
        Check(options);
        var image = options.ObservationShape.Count == 3;
        var wiring = (image ? entry.Cnn : entry.Mlp)
            ?? throw new ArgumentException(image
                ? $"Architecture '{name}' has no CNN form for the image observation [{string.Join(", ", options.ObservationShape)}]."
                : $"Architecture '{name}' needs an image observation [H, W, C]; got the vector [{options.ObservationShape[0]}].", nameof(name));
        var history = options.HistoryLength ?? (image ? entry.CnnHistory : entry.MlpHistory);
        if (history < 0 || (entry.NeedsHistory && history == 0))
        {
            throw new ArgumentException($"Architecture '{name}' needs a history length >= {(entry.NeedsHistory ? 1 : 0)}, got {history}.", nameof(options));
        }

        return new Architecture
        {
            Name = name,
            Graph = wiring(new TorsoBuilder(options, history)),
            Mode = options.Execution ?? entry.Execution,
            HistoryLength = history,
            Description = entry.Description,
        };
    }

    /// <summary>
    /// The graph of the undelayed critic V(x_t), run instant, whose input <c>obs</c> is the observation followed by
    /// <see cref="ArchitectureOptions.HistoryLength"/> actions (none when null): a tanh MLP of the options' hidden layers
    /// for vector observations, the options' CNN torso for images, then the value head <see cref="ValueName"/>.
    /// </summary>
    public static PipelineGraph Critic(ArchitectureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        if (options.HistoryLength is < 0)
        {
            throw new ArgumentException($"A critic's history length must be >= 0, got {options.HistoryLength}.", nameof(options));
        }

        return new TorsoBuilder(options, options.HistoryLength ?? 0).Critic();
    }

    private static CatalogueEntry Find(string name) => Array.Find(Entries, e => e.Name == name)
        ?? throw new ArgumentException($"Unknown architecture '{name}'; valid: {string.Join(", ", Names)} (or a graph .json file).", nameof(name));

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
