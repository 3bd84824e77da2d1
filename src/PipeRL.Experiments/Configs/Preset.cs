using PipeRL.Agents;

namespace PipeRL.Experiments.Configs;

/// <summary>A named set of an algorithm's hyperparameters that a run's options start from.</summary>
/// <param name="Name">The preset's name, as <c>--preset</c> takes it.</param>
/// <param name="Algo">The algorithm whose options it holds.</param>
/// <param name="Options">The options.</param>
/// <param name="Description">What the preset is, in a few words.</param>
public sealed record Preset(string Name, string Algo, ITrainerOptions Options, string Description);
