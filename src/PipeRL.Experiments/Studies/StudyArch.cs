using System.Text.Json.Nodes;

namespace PipeRL.Experiments.Studies;

/// <summary>
/// One actor of a study: a catalogue architecture, the label its runs and report rows carry, and config keys merged
/// into each of its runs' config (any key <c>config.json</c> has, so variants of one architecture can be compared).
/// </summary>
/// <param name="Label">The name in run folders and reports; the architecture's own name when there are no overrides.</param>
/// <param name="Arch">The catalogue architecture.</param>
/// <param name="Overrides">Config keys for this actor's runs (JSON object, nested objects merge key by key), or null.</param>
public sealed record StudyArch(string Label, string Arch, JsonObject? Overrides = null)
{
    /// <summary>The undelayed baseline's label, whose returns normalise the others'.</summary>
    public const string Baseline = "instant";

    /// <summary>An architecture under its own name, without overrides.</summary>
    public static StudyArch Of(string arch) => new(arch, arch);
}
