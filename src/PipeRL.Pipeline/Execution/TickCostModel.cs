using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// Estimated nanoseconds of a tick's parts on this project's kind of CPU (Zen 4, AVX-512), from each layer's multiply-adds
/// and the kernel that runs it, and the cost of one fork-join of a spinning <see cref="WorkerPool"/>. The scheduler
/// compares them only with each other, so the rates need to be right in proportion, not to the nanosecond.
/// </summary>
internal static class TickCostModel
{
    /// <summary>One fork-join of the pool: the worker sees the new run, and the caller sees the worker finish (two cache-line trips and the claims).</summary>
    public const double ForkNs = 1000;

    /// <summary>The extra cost of a share over its fraction of the layer (a sparse share lists its nonzero inputs again; a conv share pads its input rows).</summary>
    public const double ShareNs = 300;

    /// <summary>The smallest layer (estimated nanoseconds) split into shares: below it a share saves less than its fork and listing cost.</summary>
    public const double MinShareNs = 4000;

    /// <summary>
    /// The fraction of the best whole-layer plan's time that a plan with shares must stay under to be chosen: a share reads
    /// its whole input, half of it written on the other core, which the model does not count. The bench's N=8 w=1024 b=1
    /// MLP (estimated 8 % faster in shares) measured 1.86x in shares against 2.0-3.5x in whole layers on Zen 5; its N=4
    /// (15 % faster) 1.74-1.79x against 1.64-1.75x.
    /// </summary>
    public const double ShareMargin = 0.9;

    /// <summary>The fraction of the one-thread time a parallel plan must stay under to be chosen (10 % margin for what the model misses).</summary>
    public const double Margin = 0.9;

    /// <summary>A layer call's fixed cost: argument checks, listing the nonzero inputs, the activation.</summary>
    private const double CallNs = 150;

    /// <summary>The fraction of a ReLU's outputs taken as nonzero (a random network's); other values are taken as dense.</summary>
    private const double ReluDensity = 0.5;

    /// <summary>Multiply-adds per nanosecond of the sparse path: one weight row per nonzero input, streamed from L2 or L3.</summary>
    private const double SparseRate = 16;

    /// <summary>Multiply-adds per nanosecond of the engine's dot products at up to 4 rows (batch-1 x·Wᵀ).</summary>
    private const double DotRate = 12;

    /// <summary>Multiply-adds per nanosecond of the engine's packed register tiles (convs, dense layers at more than 4 rows).</summary>
    private const double TileRate = 40;

    /// <summary>The fraction of an engine product split over threads that stays on the caller (packing B).</summary>
    private const double SerialFraction = 0.1;

    /// <summary>Nanoseconds per float copied or activated.</summary>
    private const double CopyNs = 0.1;

    /// <summary>The estimated nanoseconds of computing layer <paramref name="l"/> whole on one thread.</summary>
    public static double LayerNs(PipelineNetwork network, TickPlan plan, int l, int batch, bool sparse)
    {
        var layer = network.Graph.Layers[l];
        var macs = (double)plan.Cost[l] * batch;
        var rate = network.Module(l) switch
        {
            Linear when sparse => SparseRate / InputDensity(network.Graph, l),
            Linear or LstmCell when batch <= 4 => DotRate,
            _ => TileRate,
        };
        var copies = layer.Kind == LayerKind.Conv2d ? network.Graph.Layers[layer.Inputs[0].Source].OutputSize * batch : 0;
        return CallNs + (macs / rate) + ((layer.OutputSize * batch) + copies) * CopyNs;
    }

    /// <summary>
    /// The fraction of layer <paramref name="l"/>'s inputs taken as nonzero: half of a ReLU's outputs, all of an observation's
    /// or any other value's, through concatenations and reshapes. The first layer of the bench's N=4 w=256 MLP reads a dense
    /// observation and took 2.1 us against 1.2-1.5 us for the ReLU-fed ones (Zen 5); taken as half zero, a split by cost gave
    /// that thread 6 of the 10 MB a w=1024 tick reads.
    /// </summary>
    internal static double InputDensity(PipelineGraph graph, int l)
    {
        var layer = graph.Layers[l];
        var size = 0.0;
        var nonzero = 0.0;
        foreach (var input in layer.Inputs)
        {
            var source = graph.Layers[input.Source];
            size += source.OutputSize;
            nonzero += source.OutputSize * ValueDensity(graph, source);
        }

        return size == 0 ? 1 : nonzero / size;
    }

    /// <summary>The fraction of <paramref name="layer"/>'s values taken as nonzero.</summary>
    private static double ValueDensity(PipelineGraph graph, GraphLayer layer) => layer switch
    {
        { Spec.Activation: Graph.Activation.Relu } => ReluDensity,
        { Kind: LayerKind.Concat or LayerKind.Flatten or LayerKind.Reshape or LayerKind.Slice or LayerKind.Scale } => InputDensity(graph, layer.Index),
        _ => 1,
    };

    /// <summary>The estimated nanoseconds of one of <paramref name="parts"/> shares of a layer of <paramref name="wholeNs"/>.</summary>
    public static double ShareOf(double wholeNs, int parts) => (wholeNs / parts) + ShareNs;

    /// <summary>The estimated nanoseconds of an engine product of <paramref name="wholeNs"/> split over <paramref name="threads"/> (its own fork included).</summary>
    public static double EngineSplit(double wholeNs, int threads) => (wholeNs * (SerialFraction + ((1 - SerialFraction) / threads))) + ForkNs;
}
