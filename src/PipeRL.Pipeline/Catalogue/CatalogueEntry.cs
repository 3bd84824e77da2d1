using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Catalogue;

/// <summary>
/// One named architecture of the catalogue: its wiring for vector and image observations (null where it has none),
/// the execution mode it runs in unless told otherwise, and the actions its input carries by default.
/// </summary>
internal sealed record CatalogueEntry(
    string Name,
    string Description,
    ExecutionMode Execution,
    Func<TorsoBuilder, PipelineGraph>? Mlp,
    Func<TorsoBuilder, PipelineGraph>? Cnn,
    int MlpHistory = 0,
    int CnnHistory = 0)
{
    /// <summary>Whether the entry is defined by its action history (it refuses a history of 0).</summary>
    public bool NeedsHistory => MlpHistory > 0 || CnnHistory > 0;
}
