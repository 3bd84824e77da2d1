using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The order of one tick as waves: first the wave's wiring layers (cheap copies, in order), then its computing
/// layers, which depend only on earlier waves and so may run concurrently.
/// </summary>
internal sealed class TickPlan
{
    public TickPlan(PipelineGraph graph, ExecutionMode mode)
    {
        Mode = mode;
        SameTick = [.. graph.Layers.Select(l => l.Inputs.Select(e => mode != ExecutionMode.Pipelined || e.Timing == TickTiming.SameTick).ToArray())];
        Order = mode == ExecutionMode.Pipelined ? [.. graph.TickOrder] : InstantOrder(graph);
        var available = new int[graph.Layers.Count];
        var waveOf = new int[graph.Layers.Count];
        var waves = 1;
        foreach (var l in Order)
        {
            var layer = graph.Layers[l];
            var wave = 0;
            for (var j = 0; j < layer.Inputs.Count; j++)
            {
                if (SameTick[l][j])
                {
                    wave = Math.Max(wave, available[layer.Inputs[j].Source]);
                }
            }

            waveOf[l] = wave;
            available[l] = layer.IsComputing ? wave + 1 : wave;
            waves = Math.Max(waves, wave + 1);
        }

        Wiring = [.. Enumerable.Range(0, waves).Select(w => Order.Where(l => waveOf[l] == w && !graph.Layers[l].IsComputing && graph.Layers[l].Kind != LayerKind.Input).ToArray())];
        Computing = [.. Enumerable.Range(0, waves).Select(w => Order.Where(l => waveOf[l] == w && graph.Layers[l].IsComputing).ToArray())];
        Cost = [.. graph.Layers.Select(l => Flops(graph, l))];
    }

    public ExecutionMode Mode { get; }

    /// <summary>Per layer and input: whether the input is read from the current tick in this mode.</summary>
    public bool[][] SameTick { get; }

    /// <summary>All layers in an order where every current-tick source comes first.</summary>
    public int[] Order { get; }

    /// <summary>Per wave: the wiring layers, in order.</summary>
    public int[][] Wiring { get; }

    /// <summary>Per wave: the computing layers, independent of each other.</summary>
    public int[][] Computing { get; }

    /// <summary>Per layer: multiply-adds per sample, to balance work across threads.</summary>
    public long[] Cost { get; }

    /// <summary>Splits each wave's computing layers over <paramref name="parts"/> threads, largest first to the least loaded.</summary>
    public int[][][] Assign(int parts)
    {
        var result = new int[Computing.Length][][];
        for (var w = 0; w < Computing.Length; w++)
        {
            var bins = Enumerable.Range(0, parts).Select(_ => new List<int>()).ToArray();
            var load = new long[parts];
            foreach (var l in Computing[w].OrderByDescending(l => Cost[l]).ThenBy(l => l))
            {
                var least = Array.IndexOf(load, load.Min());
                bins[least].Add(l);
                load[least] += Cost[l];
            }

            result[w] = [.. bins.Select(b => b.ToArray())];
        }

        return result;
    }

    private static long Flops(PipelineGraph graph, GraphLayer layer)
    {
        if (!layer.IsComputing)
        {
            return 0;
        }

        var input = graph.Layers[layer.Inputs[0].Source];
        return layer.Kind switch
        {
            LayerKind.Conv2d => (long)layer.OutputSize * layer.Spec.Kernel * layer.Spec.Kernel * input.OutputShape[2],
            LayerKind.LstmCell => 4L * layer.OutputSize * (input.OutputSize + layer.OutputSize),
            _ => (long)layer.OutputSize * input.OutputSize,
        };
    }

    private static int[] InstantOrder(PipelineGraph graph) => WholeGraphOrder(graph)
        ?? throw new GraphException("Instant mode runs the whole graph in one tick and needs a graph without previous-tick loops (LSTM cells are fine).");

    /// <summary>All layers in an order where every source (of any timing) comes first, or null when previous-tick edges form a loop.</summary>
    internal static int[]? WholeGraphOrder(PipelineGraph graph)
    {
        var pending = graph.Layers.Select(l => l.Inputs.Count).ToArray();
        var ready = new SortedSet<int>(graph.Layers.Where(l => l.Inputs.Count == 0).Select(l => l.Index));
        var order = new List<int>();
        while (ready.Count > 0)
        {
            var next = ready.Min;
            ready.Remove(next);
            order.Add(next);
            foreach (var reader in graph.Layers)
            {
                foreach (var edge in reader.Inputs.Where(e => e.Source == next))
                {
                    if (--pending[reader.Index] == 0)
                    {
                        ready.Add(reader.Index);
                    }
                }
            }
        }

        return order.Count == graph.Layers.Count ? [.. order] : null;
    }
}
