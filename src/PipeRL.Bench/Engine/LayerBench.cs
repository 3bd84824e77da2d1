using System.Diagnostics;
using System.Globalization;
using PipeRL.Bench.Harness;
using PipeRL.Tensors;

namespace PipeRL.Bench.Engine;

/// <summary>
/// <c>piperl bench layers</c>: forward + backward (dW, db and dX where the layer needs it) of every layer of the authors'
/// MinAtar networks at the PPO training batch sizes, with the achieved GFLOP/s against the measured per-core FMA peak.
/// </summary>
public static class LayerBench
{
    private const int Side = 10;
    private const int Pixels = Side * Side;

    /// <summary>The layers: the critic, the pipelined actor and the skip&amp;aug actor (shared shapes listed once).</summary>
    private static readonly LayerCase[] Cases =
    [
        new("critic", "conv 4->16", true, 4, 16, false, true),
        new("critic", "conv 16->32", true, 16, 32, true, true),
        new("critic", "conv 32->32", true, 32, 32, true, true),
        new("critic", "dense 3200->512", false, 3200, 512, true, true),
        new("critic", "dense 512->1", false, 512, 1, true, false),
        new("actor", "conv 4->32", true, 4, 32, false, true),
        new("actor", "conv 32->64", true, 32, 64, true, true),
        new("actor", "conv 64->64", true, 64, 64, true, true),
        new("actor", "dense 6400->512", false, 6400, 512, true, true),
        new("actor", "dense 512->6", false, 512, 6, true, false),
        new("skipres", "conv 128->64", true, 128, 64, true, true),
        new("skipres", "dense 16406->512", false, 16406, 512, true, true),
        new("skipres", "dense 518->6", false, 518, 6, true, false),
    ];

    /// <summary>Measures the layers whose name contains <paramref name="filter"/> at each of <paramref name="rows"/> and <paramref name="threads"/>, printing as it goes.</summary>
    public static void Run(BenchRunner runner, IReadOnlyList<int> rows, IReadOnlyList<int> threads, string? filter, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(threads);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("piperl bench layers");
        BenchEnvironment.Capture().Write(output);
        double peak256 = FmaPeak.Measure256(300);
        double peak512 = FmaPeak.Measure512(300);
        double peak = double.IsNaN(peak512) ? peak256 : Math.Max(peak256, peak512);
        output.WriteLine(Invariant($"Per-core FMA peak (register-only loop, 12 chains): {peak256:0.0} GFLOP/s with Vector256, {peak512:0.0} with Vector512; % of peak below = GFLOP/s / (threads x {peak:0.0})"));
        output.WriteLine("FLOP = 2*rows*P*K*N per product, P = 100 pixels (1 for dense), K = 9*C_in (C_in for dense), N = C_out; forward + dW, + dX where the input needs a gradient (3 products, else 2).");
        output.WriteLine();
        string header = $"{"Net",-8} {"Layer",-17} {"Rows",5} {"T",2} {"GFLOP",7} {"Median ms",10} {"Min ms",9} {"GFLOP/s",8} {"best",7} {"% peak",7} {"per CPU-s",9} {"CPU %",6}";
        output.WriteLine(header);
        output.WriteLine(new string('-', header.Length));
        foreach (int t in threads)
        {
            using var pool = t > 1 ? new WorkerPool(t) : null;
            foreach (int r in rows)
            {
                foreach (var c in Cases)
                {
                    if (filter is not null && !c.Name.Contains(filter, StringComparison.Ordinal) && !c.Net.Contains(filter, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    using var step = new LayerStep(c, r, pool);
                    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                    long wallStart = Stopwatch.GetTimestamp();
                    var result = runner.Measure(c.Name, step.Run);
                    double wall = Stopwatch.GetElapsedTime(wallStart).TotalSeconds;
                    double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
                    double gflop = step.Flops / 1e9;
                    double median = gflop / result.Median;
                    double best = gflop / result.Min;
                    double perCpu = median * wall / cpu;
                    output.WriteLine(Invariant($"{c.Net,-8} {c.Name,-17} {r,5} {t,2} {gflop,7:0.000} {result.Median * 1e3,10:0.00} {result.Min * 1e3,9:0.00} {median,8:0.0} {best,7:0.0} {100 * median / (t * peak),6:0}% {perCpu,9:0.0} {100 * cpu / wall,5:0}%"));
                }
            }
        }

        output.WriteLine();
        output.WriteLine("GFLOP/s from the median time, best from the fastest repetition; the machine's other load shows as the gap between them.");
        output.WriteLine("per CPU-s: GFLOP/s x wall time / process CPU time over the whole case (warm-up included, spinning workers count as busy);");
        output.WriteLine("CPU %: the process's CPU time over the case's wall time (200% = both cores all the time). On a shared machine the");
        output.WriteLine("per-CPU-second rate is the fairer figure for the kernels, the wall-clock rate for what a run would see.");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>One layer shape: conv 3x3 padding 1 on 10x10 images or dense; <paramref name="NeedDx"/> when its input needs a gradient.</summary>
    private sealed record LayerCase(string Net, string Name, bool Conv, int In, int Out, bool NeedDx, bool Relu);

    /// <summary>The tape, parameters and buffers of one timed case; <see cref="Run"/> is forward + ReLU + backward.</summary>
    private sealed class LayerStep : IDisposable
    {
        private readonly LayerCase _case;
        private readonly Tape _tape = new();
        private readonly Parameter _weight;
        private readonly Parameter _bias;
        private readonly Tensor _input;
        private readonly float[] _seed;

        public LayerStep(LayerCase c, int rows, WorkerPool? pool)
        {
            _case = c;
            var rng = new SeededRandom(11);
            _weight = new Parameter("w", c.Conv ? new Shape(c.Out, 3, 3, c.In) : new Shape(c.Out, c.In));
            _bias = new Parameter("b", new Shape(c.Out));
            rng.FillUniform(_weight.Value.Span, -0.05f, 0.05f);
            _input = Tensor.Zeros(c.Conv ? new Shape(rows, Side, Side, c.In) : new Shape(rows, c.In));
            rng.FillUniform(_input.Span, -1, 1);
            _seed = new float[rows * c.Out * (c.Conv ? Pixels : 1)];
            rng.FillUniform(_seed, -1, 1);
            _tape.Workers = pool;
            long product = 2L * rows * (c.Conv ? Pixels * 9 * c.In : c.In) * c.Out;
            Flops = product * (c.NeedDx ? 3 : 2);
        }

        public long Flops { get; }

        public void Run()
        {
            _tape.Reset();
            var x = _tape.Input(_input, _case.NeedDx);
            var y = _case.Conv ? _tape.Conv2d(x, _weight, _bias, 1, 1) : _tape.Linear(x, _weight, _bias);
            if (_case.Relu)
            {
                y = _tape.Relu(y);
            }

            _tape.Backward(y, _seed);
        }

        public void Dispose() => _tape.Dispose();
    }
}
