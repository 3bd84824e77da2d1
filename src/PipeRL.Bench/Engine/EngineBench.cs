using PipeRL.Bench.Harness;
using PipeRL.Tensors;

namespace PipeRL.Bench.Engine;

/// <summary>
/// <c>piperl bench engine</c>: batch-1 inference and training steps of the MLPs and the MinAtar CNN that PipeRL trains,
/// against the prototype-kernel targets measured on the project's reference machine (DESIGN.md section 4).
/// </summary>
public static class EngineBench
{
    /// <summary>Prototype timings (seconds) from DESIGN.md section 4.</summary>
    public const double MlpInferTarget = 2.8e-6;

    /// <summary>Prototype batch-64 MLP training step, one thread.</summary>
    public const double MlpTrain64Target = 0.36e-3;

    /// <summary>Prototype batch-1 CNN inference.</summary>
    public const double CnnInferTarget = 8e-6;

    /// <summary>Prototype batch-256 CNN training step, one thread.</summary>
    public const double CnnTrain256Target = 5.1e-3;

    /// <summary>Runs every case with <paramref name="runner"/> and returns the report.</summary>
    public static BenchReport Run(BenchRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var results = new List<BenchResult>();
        var rng = new SeededRandom(2024);

        var mlp = new Mlp("mlp", [17, 256, 256, 6], Activation.Relu, rng);
        var obs = new float[17];
        var act = new float[6];
        rng.FillUniform(obs, -1, 1);
        results.Add(runner.Measure("mlp 17-256-256-6 infer b=1", () => mlp.Infer(obs, act), MlpInferTarget));

        var deep = new Mlp("deep", [17, 256, 256, 256, 256, 256, 256, 256, 256, 6], Activation.Relu, rng);
        results.Add(runner.Measure("mlp 17-8x256-6 infer b=1", () => deep.Infer(obs, act)));

        foreach (int batch in new[] { 64, 256 })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var net = new Mlp("mlp", [17, 256, 256, 6], Activation.Relu, new SeededRandom(7));
                using var step = new TrainingStep(net, net.Forward, new Shape(batch, 17), new Shape(batch, 6), threads, new SeededRandom(8));
                double? target = batch == 64 && threads == 1 ? MlpTrain64Target : null;
                results.Add(runner.Measure($"mlp 17-256-256-6 train b={batch} t={threads}", step.Run, target));
            }
        }

        var cnn = new MinAtarCnn(rng);
        var frame = new float[MinAtarCnn.Side * MinAtarCnn.Side * MinAtarCnn.Channels];
        rng.FillUniform(frame, 0, 1);
        results.Add(runner.Measure("cnn minatar infer b=1", () => cnn.Infer(frame, act), CnnInferTarget));
        foreach (int threads in new[] { 1, 2 })
        {
            var net = new MinAtarCnn(new SeededRandom(9));
            var input = new Shape(256, MinAtarCnn.Side, MinAtarCnn.Side, MinAtarCnn.Channels);
            using var step = new TrainingStep(net, net.Forward, input, new Shape(256, MinAtarCnn.Actions), threads, new SeededRandom(10));
            results.Add(runner.Measure($"cnn minatar train b=256 t={threads}", step.Run, threads == 1 ? CnnTrain256Target : null));
        }

        string[] notes =
        [
            "Times per operation. Train = forward on a tape + MSE + backward + Adam. t = threads for matrix products.",
            "Targets: prototype SIMD kernels on the reference machine (TorchSharp there: 15-22 us, 0.6-0.7 ms, 43 us, 5.0 ms).",
            "On a shared machine compare Min/Target and CPU/Target: wall-clock Median includes time spent waiting for a core.",
            "CPU median is the timing thread's CPU time per operation (workers not included, so only t=1 rows compare).",
            "t=2 rows split every product of 48 or more multiply-adds per output (and 300,000 in all) over two threads,",
            "whether it pays or not; training runs each kind of update on two threads only while its timing checks find that",
            "faster, so a t=2 row slower than t=1 is a split it would not use.",
        ];
        return new BenchReport("engine", BenchEnvironment.Capture(), results, notes);
    }
}
