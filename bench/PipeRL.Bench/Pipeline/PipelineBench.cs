using System.Globalization;
using PipeRL.Bench.Harness;
using PipeRL.Pipeline.Execution;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Bench.Pipeline;

/// <summary>
/// <c>piperl bench pipeline</c>: one tick of an N-layer, width-w pipelined MLP, computed layer after layer on one
/// thread versus the independent layers of the tick spread over the threads of a worker pool.
/// </summary>
public static class PipelineBench
{
    /// <summary>The depths measured.</summary>
    public static IReadOnlyList<int> Depths { get; } = [4, 8];

    /// <summary>The widths measured.</summary>
    public static IReadOnlyList<int> Widths { get; } = [256, 1024];

    /// <summary>The batch sizes measured.</summary>
    public static IReadOnlyList<int> Batches { get; } = [1, 64];

    /// <summary>A plain pipelined MLP of <paramref name="layers"/> equal w×w layers (the last one the head).</summary>
    public static PipelineGraph Mlp(int layers, int width)
    {
        var b = new GraphBuilder();
        GraphNode h = b.Input("obs", width);
        for (var i = 1; i < layers; i++)
        {
            h = b.Dense($"fc{i}", h, width, PipeRL.Pipeline.Graph.Activation.Relu);
        }

        b.CategoricalHead("policy", h, width);
        return b.Build();
    }

    /// <summary>Times every case with <paramref name="runner"/>; <paramref name="threads"/> is the parallel pool's size.</summary>
    public static BenchReport Run(BenchRunner runner, int threads = 2)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var results = new List<BenchResult>();
        var speedups = new List<string>();
        using var pool = new WorkerPool(threads);
        foreach (var layers in Depths)
        {
            foreach (var width in Widths)
            {
                var network = new PipelineNetwork(Mlp(layers, width), new SeededRandom(11));
                foreach (var batch in Batches)
                {
                    var input = new float[batch * width];
                    new SeededRandom(12).FillUniform(input, -1, 1);
                    var sequential = new PipelineExecutor(network, batch);
                    var parallel = new PipelineExecutor(network, batch, workers: pool);
                    var name = string.Create(CultureInfo.InvariantCulture, $"N={layers} w={width} b={batch}");
                    var seq = runner.Measure($"{name} sequential", () => sequential.Tick(input));
                    var par = runner.Measure($"{name} parallel t={threads}", () => parallel.Tick(input), seq.Median);
                    results.Add(seq);
                    results.Add(par);
                    speedups.Add(string.Create(CultureInfo.InvariantCulture, $"  {name,-22} speed-up {seq.Median / par.Median:0.00}x (median), {seq.Min / par.Min:0.00}x (min)"));
                }
            }
        }

        string[] notes =
        [
            "Times per tick. Sequential: every layer of the tick in turn on the caller. Parallel: the tick's independent layers",
            $"spread over {threads} threads of a persistent worker pool (results bit-identical). Target = the sequential median, so",
            "Median/Target is parallel time / sequential time. Speed-up = sequential / parallel:",
            .. speedups,
            "The machine may be shared: other processes take cores, which hurts the parallel rows most.",
        ];
        return new BenchReport("pipeline", BenchEnvironment.Capture(), results, notes);
    }
}
