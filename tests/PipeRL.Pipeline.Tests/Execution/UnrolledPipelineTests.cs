using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Tests.Execution;

public sealed class UnrolledPipelineTests
{
    public static IEnumerable<object[]> Catalogue() => Nets.Catalogue();

    private static Tensor[] Tensors(float[][] inputs) => [.. inputs.Select(x => Tensor.FromArray(x, new Shape(x.Length)))];

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tolerance * (1 + MathF.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void UnrolledOutputsEqualStreamingOnes(string name, bool image)
    {
        var arch = Nets.Build(name, image);
        var network = Nets.Network(arch);
        const int batch = 2;
        var inputs = Nets.Inputs(batch * Nets.InputSize(arch), 7, 4);
        var executor = new PipelineExecutor(network, batch, arch.Mode);
        using var tape = new Tape();
        var run = new UnrolledPipeline(network, arch.Mode).Run(tape, Tensors(inputs));

        Assert.Equal(inputs.Length, run.Ticks);
        for (var t = 0; t < inputs.Length; t++)
        {
            executor.Tick(inputs[t]);
            AssertClose(executor.Output(arch.PolicyHead), run.Output(t, arch.PolicyHead).Value.Span);
        }
    }

    [Fact]
    public void GivenStartContinuesAStreamingExecutor()
    {
        var arch = Nets.Build("lstm", image: false);
        var network = Nets.Network(arch);
        var inputs = Nets.Inputs(Nets.InputSize(arch), 8, 6);
        var executor = new PipelineExecutor(network, 1);
        for (var t = 0; t < 4; t++)
        {
            executor.Tick(inputs[t]);
        }

        var saved = executor.State.Clone();
        using var tape = new Tape();
        var run = new UnrolledPipeline(network).Run(tape, Tensors(inputs[4..]), UnrolledStart.Given, saved);
        for (var t = 4; t < 8; t++)
        {
            executor.Tick(inputs[t]);
            AssertClose(executor.Output(arch.PolicyHead), run.Output(t - 4, arch.PolicyHead).Value.Span);
        }
    }

    [Fact]
    public void InstantStartIsTheInstantPassAndCarriesGradient()
    {
        var arch = Nets.Build("pipelined", image: false);
        var network = Nets.Network(arch);
        var inputs = Nets.Inputs(Nets.InputSize(arch), 3, 8);
        var instant = new PipelineExecutor(network, 1, ExecutionMode.Instant);
        instant.Tick(inputs[0]);
        var fc1 = network.ParametersOf("fc1")[0];
        using var tape = new Tape();
        var unroller = new UnrolledPipeline(network);

        var run = unroller.Run(tape, Tensors(inputs), UnrolledStart.Instant);
        AssertClose(instant.Output(arch.PolicyHead), run.Output(0, arch.PolicyHead).Value.Span);
        tape.Backward(tape.Sum(run.Output(0, arch.PolicyHead)));
        Assert.True(fc1.Grad.Span.IndexOfAnyExcept(0f) >= 0);

        fc1.ZeroGrad();
        tape.Reset();
        var zero = unroller.Run(tape, Tensors(inputs), UnrolledStart.Zero);
        tape.Backward(tape.Sum(zero.Output(2, arch.PolicyHead)));
        Assert.True(fc1.Grad.Span.IndexOfAnyExcept(0f) < 0);
    }

    [Fact]
    public void EpisodeStartsWithResetMatchStreamingResets()
    {
        var arch = Nets.Build("residual", image: false);
        var network = Nets.Network(arch);
        const int batch = 2;
        var inputs = Nets.Inputs(batch * Nets.InputSize(arch), 6, 10);
        var starts = Enumerable.Range(0, 6).Select(t => new[] { t == 4, t == 2 }).ToArray();
        var executor = new PipelineExecutor(network, batch);
        using var tape = new Tape();
        var run = new UnrolledPipeline(network, boundary: EpisodeBoundary.Reset).Run(tape, Tensors(inputs), episodeStarts: starts);
        for (var t = 0; t < inputs.Length; t++)
        {
            executor.EndEpisodes(starts[t], EpisodeBoundary.Reset);
            executor.Tick(inputs[t]);
            AssertClose(executor.Output(arch.PolicyHead), run.Output(t, arch.PolicyHead).Value.Span);
        }
    }

    [Fact]
    public void GradientsThroughTheWindowMatchFiniteDifferences()
    {
        // Smooth activations, an LSTM cell, a same-tick edge, a residual sum and concats: every op of a tick on the tape.
        var b = new GraphBuilder();
        var x = b.Input("x", 3);
        var h1 = b.Dense("h1", x, 4, PipeRL.Pipeline.Graph.Activation.Tanh);
        var h2 = b.Dense("h2", b.Concat("h2_in", x, h1), 4, PipeRL.Pipeline.Graph.Activation.Tanh);
        var sum = b.Scale("res", b.Add("sum", h2.SameTick, h1.SameTick), 0.5f);
        var lstm = b.LstmCell("lstm", sum, 3);
        b.GaussianHead("pi", b.Concat("pi_in", x, lstm, h2), 2);
        var network = new PipelineNetwork(b.Build(), new SeededRandom(21));
        const int batch = 2;
        var inputs = Tensors(Nets.Inputs(batch * 3, 6, 22));
        var weights = Nets.Inputs(batch * 4, 6, 23);
        var unroller = new UnrolledPipeline(network);
        using var tape = new Tape();

        float Loss(bool backward)
        {
            tape.Reset();
            var run = unroller.Run(tape, inputs, UnrolledStart.Instant);
            Var? total = null;
            for (var t = 0; t < inputs.Length; t++)
            {
                var term = tape.Sum(tape.Mul(run.Output(t, "pi"), tape.Input(Tensor.FromArray(weights[t], new Shape(batch, 4)))));
                total = total is { } sofar ? tape.Add(sofar, term) : term;
            }

            if (backward)
            {
                tape.Backward(total!.Value);
            }

            return total!.Value.Value[0];
        }

        foreach (var p in network.Parameters)
        {
            p.ZeroGrad();
        }

        Loss(backward: true);
        var analytic = network.Parameters.Select(p => p.Grad.Span.ToArray()).ToArray();
        var checkedEntries = 0;
        for (var i = 0; i < network.Parameters.Count; i++)
        {
            var values = network.Parameters[i].Value.Span;
            for (var j = 0; j < values.Length; j += Math.Max(1, values.Length / 3))
            {
                const float eps = 1e-2f;
                var original = values[j];
                values[j] = original + eps;
                var up = Loss(backward: false);
                values[j] = original - eps;
                var down = Loss(backward: false);
                values[j] = original;
                var numeric = (up - down) / (2 * eps);
                Assert.True(MathF.Abs(numeric - analytic[i][j]) <= 2e-3f + (2e-2f * MathF.Abs(numeric)), $"{network.Parameters[i].Name}[{j}]: numeric {numeric}, analytic {analytic[i][j]}");
                checkedEntries++;
            }
        }

        Assert.True(checkedEntries >= 30);
        Assert.True(analytic[0].AsSpan().IndexOfAnyExcept(0f) >= 0);
    }
}
