using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Tests.Execution;

/// <summary>Small catalogue networks and seeded inputs shared by the execution tests.</summary>
internal static class Nets
{
    public static IEnumerable<object[]> Catalogue()
    {
        // A sequential network's latching lives in the actor (PipeRL.Agents' PipelineActor and its tests); executors run its passes instant.
        foreach (var name in ArchitectureCatalogue.Names.Where(n => Build(n, image: true).Mode != ExecutionMode.Sequential))
        {
            if (!name.StartsWith("cnn-", StringComparison.Ordinal))
            {
                yield return [name, false];
            }

            yield return [name, true];
        }
    }

    public static Architecture Build(string name, bool image) => ArchitectureCatalogue.Build(name, image
        ? new ArchitectureOptions { ObservationShape = [6, 6, 2], Actions = 3, HistoryLength = name is "temporal-skip-aug" or "cnn-skipres-aug" ? 2 : null }
        : new ArchitectureOptions { ObservationShape = [5], Actions = 3, HiddenLayers = 3, Width = 8 });

    public static PipelineNetwork Network(Architecture arch, ulong seed = 7) => new(arch.Graph, new SeededRandom(seed));

    /// <summary>A pipelined MLP of <paramref name="layers"/> equal layers (the bench's), <paramref name="width"/> observations and actions.</summary>
    public static PipelineNetwork Mlp(int layers, int width) => new(
        ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [width], Actions = width, HiddenLayers = layers - 1, Width = width }).Graph,
        new SeededRandom(3));

    public static float[][] Inputs(int size, int ticks, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var inputs = new float[ticks][];
        for (var t = 0; t < ticks; t++)
        {
            inputs[t] = new float[size];
            rng.FillUniform(inputs[t], -1, 1);
        }

        return inputs;
    }

    public static int InputSize(Architecture arch) => arch.Graph[arch.Input].OutputSize;
}
