using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Tests.Execution;

public sealed class UnrolledPipelineTests
{
    public static IEnumerable<object[]> Catalogue() => Nets.Catalogue();

    public static IEnumerable<object[]> WithoutRecurrence()
    {
        foreach (var c in Nets.Catalogue())
        {
            if ((string)c[0] != "lstm")
            {
                foreach (var start in new[] { UnrolledStart.Zero, UnrolledStart.Given, UnrolledStart.Instant })
                {
                    yield return [c[0], c[1], start];
                }
            }
        }
    }

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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GradientsThroughTheWindowMatchFiniteDifferences(bool lstm)
    {
        // Smooth activations, an LSTM cell (tick by tick) or a dense layer (layer-major), a same-tick edge, a residual
        // sum and concats: every op of a tick on the tape.
        var b = new GraphBuilder();
        var x = b.Input("x", 3);
        var h1 = b.Dense("h1", x, 4, PipeRL.Pipeline.Graph.Activation.Tanh);
        var h2 = b.Dense("h2", b.Concat("h2_in", x, h1), 4, PipeRL.Pipeline.Graph.Activation.Tanh);
        var sum = b.Scale("res", b.Add("sum", h2.SameTick, h1.SameTick), 0.5f);
        var mid = lstm ? b.LstmCell("lstm", sum, 3) : b.Dense("mid", sum, 3, PipeRL.Pipeline.Graph.Activation.Sigmoid);
        b.GaussianHead("pi", b.Concat("pi_in", x, mid, h2), 2);
        var network = new PipelineNetwork(b.Build(), new SeededRandom(21));
        const int batch = 2;
        var inputs = Tensors(Nets.Inputs(batch * 3, 6, 22));
        var weights = Nets.Inputs(batch * 4, 6, 23);
        var unroller = new UnrolledPipeline(network);
        Assert.Equal(!lstm, unroller.IsLayerMajor);
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
            for (var j = 0; j < values.Length; j += Math.Max(1, values.Length / 5))
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

    [Theory]
    [MemberData(nameof(WithoutRecurrence))]
    public void LayerMajorWindowEqualsTickByTick(string name, bool image, UnrolledStart start)
    {
        var arch = Nets.Build(name, image);
        var network = Nets.Network(arch);
        const int batch = 3;
        var inputs = Tensors(Nets.Inputs(batch * Nets.InputSize(arch), 7, 31));
        PipelineState? given = null;
        if (start == UnrolledStart.Given)
        {
            var executor = new PipelineExecutor(network, batch, arch.Mode);
            foreach (var warmup in Nets.Inputs(batch * Nets.InputSize(arch), 3, 32))
            {
                executor.Tick(warmup);
            }

            given = executor.State.Clone();
        }

        var layerMajor = new UnrolledPipeline(network, arch.Mode);
        var tickByTick = new UnrolledPipeline(network, arch.Mode, layerMajor: false);
        Assert.True(layerMajor.IsLayerMajor);
        Assert.False(tickByTick.IsLayerMajor);
        var (expected, expectedGrads) = Window(network, tickByTick, arch.PolicyHead, inputs, start, given, null);
        var (actual, actualGrads) = Window(network, layerMajor, arch.PolicyHead, inputs, start, given, null);
        AssertWindowsEqual(network, expected, expectedGrads, actual, actualGrads);
    }

    [Theory]
    [InlineData("pipelined", false)]
    [InlineData("temporal-skip-aug", false)]
    [InlineData("residual", true)]
    [InlineData("cnn-skipres", true)]
    [InlineData("instant", false)]
    public void LayerMajorWindowWithEpisodeResetsEqualsTickByTick(string name, bool image)
    {
        var arch = Nets.Build(name, image);
        var network = Nets.Network(arch);
        const int batch = 3;
        var inputs = Tensors(Nets.Inputs(batch * Nets.InputSize(arch), 7, 33));
        var starts = Enumerable.Range(0, 7).Select(t => new[] { t == 3, t == 0 || t == 5, t == 3 || t == 4 }).ToArray();
        var layerMajor = new UnrolledPipeline(network, arch.Mode, EpisodeBoundary.Reset);
        var tickByTick = new UnrolledPipeline(network, arch.Mode, EpisodeBoundary.Reset, layerMajor: false);
        var (expected, expectedGrads) = Window(network, tickByTick, arch.PolicyHead, inputs, UnrolledStart.Instant, null, starts);
        var (actual, actualGrads) = Window(network, layerMajor, arch.PolicyHead, inputs, UnrolledStart.Instant, null, starts);
        AssertWindowsEqual(network, expected, expectedGrads, actual, actualGrads);

        // Pipelined, the reset reached the outputs (a resetting env acts from zero values); instant, it changes nothing.
        var (carried, _) = Window(network, new UnrolledPipeline(network, arch.Mode), arch.PolicyHead, inputs, UnrolledStart.Instant, null, starts);
        Assert.Equal(arch.Mode == ExecutionMode.Pipelined, !actual.SequenceEqual(carried));
    }

    public static IEnumerable<object[]> CatalogueFromTicks()
    {
        foreach (var c in Nets.Catalogue())
        {
            foreach (var fromTick in new[] { 1, 4 })
            {
                yield return [c[0], c[1], fromTick];
            }
        }
    }

    [Theory]
    [MemberData(nameof(CatalogueFromTicks))]
    public void TargetedWindowEqualsTheWholeWindowFromItsFirstTick(string name, bool image, int fromTick)
    {
        var arch = Nets.Build(name, image);
        var network = Nets.Network(arch);
        const int batch = 3;
        var inputs = Tensors(Nets.Inputs(batch * Nets.InputSize(arch), 7, 36));
        var starts = Enumerable.Range(0, 7).Select(t => new[] { t == 2, t == 5, false }).ToArray();
        var unroller = new UnrolledPipeline(network, arch.Mode, EpisodeBoundary.Reset);
        var (expected, expectedGrads) = TargetWindow(network, unroller, arch.PolicyHead, inputs, starts, fromTick, targeted: false);
        var (actual, actualGrads) = TargetWindow(network, unroller, arch.PolicyHead, inputs, starts, fromTick, targeted: true);
        AssertWindowsEqual(network, expected, expectedGrads, actual, actualGrads);
    }

    [Fact]
    public void TargetedLayerMajorWindowSkipsTicksTheTargetDoesNotNeed()
    {
        var arch = Nets.Build("pipelined", image: false);
        var network = Nets.Network(arch);
        var inputs = Tensors(Nets.Inputs(2 * Nets.InputSize(arch), 6, 37));
        var unroller = new UnrolledPipeline(network, arch.Mode);
        using var tape = new Tape();
        var whole = unroller.Run(tape, inputs, UnrolledStart.Instant);
        var targeted = unroller.Run(tape, inputs, UnrolledStart.Instant, target: new UnrolledTarget(arch.PolicyHead, 5));

        // The head acting during tick 5 was computed during tick 4 from fc3 of tick 3, fc2 of tick 2 and fc1 of tick 1.
        AssertClose(whole.Value(1, "fc1").Value.Span, targeted.Value(1, "fc1").Value.Span);
        Assert.Throws<InvalidOperationException>(() => targeted.Value(0, "fc1"));
        Assert.Throws<InvalidOperationException>(() => targeted.Value(2, "fc1"));
        Assert.Equal(5, targeted.OutputsFrom);
        Assert.Equal(new Shape(2, arch.Graph[arch.PolicyHead].OutputSize), targeted.Outputs(arch.PolicyHead).Shape);
        Assert.Throws<ArgumentException>(() => unroller.Run(tape, inputs, target: new UnrolledTarget(arch.PolicyHead, 6)));
    }

    [Fact]
    public void AOneTickWindowFromAGivenStartActsWithTheGivenHeadValue()
    {
        // Pipelined, the head acting during tick 0 is the given state's (computed during the executor's last tick): no
        // layer is computed in the window, and none is needed after tick -1.
        var arch = Nets.Build("pipelined", image: false);
        var network = Nets.Network(arch);
        var executor = new PipelineExecutor(network, 2, arch.Mode);
        foreach (var warmup in Nets.Inputs(2 * Nets.InputSize(arch), 6, 40))
        {
            executor.Tick(warmup);
        }

        using var tape = new Tape();
        var run = new UnrolledPipeline(network, arch.Mode).Run(tape, Tensors(Nets.Inputs(2 * Nets.InputSize(arch), 1, 41)), UnrolledStart.Given, executor.State.Clone(), target: new UnrolledTarget(arch.PolicyHead, 0));

        Assert.Equal(executor.Value(arch.PolicyHead).ToArray(), run.Outputs(arch.PolicyHead).Value.Span.ToArray());
    }

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void ShortTargetedWindowsEqualTheWholeWindowsRows(string name, bool image)
    {
        // Windows shorter than the graph's depth need some layers only at their start value, or not at all.
        var arch = Nets.Build(name, image);
        var network = Nets.Network(arch);
        const int batch = 2;
        var executor = new PipelineExecutor(network, batch, arch.Mode);
        foreach (var warmup in Nets.Inputs(batch * Nets.InputSize(arch), 3, 42))
        {
            executor.Tick(warmup);
        }

        var unroller = new UnrolledPipeline(network, arch.Mode);
        foreach (var start in new[] { UnrolledStart.Given, UnrolledStart.Instant })
        {
            var given = start == UnrolledStart.Given ? executor.State.Clone() : null;
            for (var ticks = 1; ticks <= 3; ticks++)
            {
                var inputs = Tensors(Nets.Inputs(batch * Nets.InputSize(arch), ticks, 43));
                for (var fromTick = 0; fromTick < ticks; fromTick++)
                {
                    using var tape = new Tape();
                    var whole = unroller.Run(tape, inputs, start, given).Outputs(arch.PolicyHead);
                    var targeted = unroller.Run(tape, inputs, start, given, target: new UnrolledTarget(arch.PolicyHead, fromTick)).Outputs(arch.PolicyHead);
                    AssertClose(whole.Value.Span[^targeted.Value.Length..], targeted.Value.Span);
                }
            }
        }
    }

    [Fact]
    public void OutputsAreTheTicksOutputsStackedTickMajor()
    {
        var arch = Nets.Build("temporal-skip", image: false);
        var network = Nets.Network(arch);
        const int batch = 2;
        var inputs = Tensors(Nets.Inputs(batch * Nets.InputSize(arch), 5, 34));
        foreach (var layerMajor in new[] { true, false })
        {
            using var tape = new Tape();
            var run = new UnrolledPipeline(network, arch.Mode, layerMajor: layerMajor).Run(tape, inputs, UnrolledStart.Instant);
            var all = run.Outputs(arch.PolicyHead);
            Assert.Equal(new Shape(5 * batch, 3), all.Shape);
            for (var t = 0; t < 5; t++)
            {
                Assert.Equal(run.Output(t, arch.PolicyHead).Value.Span.ToArray(), all.Value.Span.Slice(t * batch * 3, batch * 3).ToArray());
                if (t > 0)
                {
                    // Pipelined, a head acts during tick t with the value it computed during tick t - 1.
                    Assert.Equal(run.Value(t - 1, arch.PolicyHead).Value.Span.ToArray(), run.Output(t, arch.PolicyHead).Value.Span.ToArray());
                }
            }
        }
    }

    /// <summary>Every tick's acting output of <paramref name="head"/>, and every parameter's gradient of a weighted sum of them.</summary>
    private static (float[] Outputs, float[][] Grads) Window(PipelineNetwork network, UnrolledPipeline unroller, string head, Tensor[] inputs, UnrolledStart start, PipelineState? given, bool[][]? starts)
    {
        foreach (var p in network.Parameters)
        {
            p.ZeroGrad();
        }

        using var tape = new Tape();
        var run = unroller.Run(tape, inputs, start, given, starts);
        var outputs = new List<float>();
        for (var t = 0; t < run.Ticks; t++)
        {
            outputs.AddRange(run.Output(t, head).Value.Span.ToArray());
        }

        var all = run.Outputs(head);
        var weights = Nets.Inputs(all.Value.Length, 1, 35)[0];
        tape.Backward(tape.Sum(tape.Mul(all, tape.Input(Tensor.FromArray(weights, all.Shape)))));
        return ([.. outputs], [.. network.Parameters.Select(p => p.Grad.Span.ToArray())]);
    }

    /// <summary>
    /// The acting outputs of <paramref name="head"/> from <paramref name="fromTick"/> on and every parameter's gradient of a
    /// weighted sum of them, from a run with that target or from the whole run's rows.
    /// </summary>
    private static (float[] Outputs, float[][] Grads) TargetWindow(PipelineNetwork network, UnrolledPipeline unroller, string head, Tensor[] inputs, bool[][] starts, int fromTick, bool targeted)
    {
        foreach (var p in network.Parameters)
        {
            p.ZeroGrad();
        }

        using var tape = new Tape();
        var run = unroller.Run(tape, inputs, UnrolledStart.Instant, episodeStarts: starts, target: targeted ? new UnrolledTarget(head, fromTick) : null);
        var outputs = run.Outputs(head);
        if (!targeted)
        {
            var rows = outputs.Shape[0] / inputs.Length;
            outputs = tape.SliceRows(outputs, fromTick * rows, (inputs.Length - fromTick) * rows);
        }

        var weights = Nets.Inputs(outputs.Value.Length, 1, 38)[0];
        tape.Backward(tape.Sum(tape.Mul(outputs, tape.Input(Tensor.FromArray(weights, outputs.Shape)))));
        return (outputs.Value.Span.ToArray(), [.. network.Parameters.Select(p => p.Grad.Span.ToArray())]);
    }

    private static void AssertWindowsEqual(PipelineNetwork network, float[] expected, float[][] expectedGrads, float[] actual, float[][] actualGrads)
    {
        // The same products summed in another order: equal up to float rounding.
        AssertClose(expected, actual, 1e-5f);
        for (var i = 0; i < expectedGrads.Length; i++)
        {
            var scale = expectedGrads[i].Max(MathF.Abs);
            Assert.True(scale > 0, $"{network.Parameters[i].Name} got no gradient");
            for (var j = 0; j < expectedGrads[i].Length; j++)
            {
                Assert.True(MathF.Abs(expectedGrads[i][j] - actualGrads[i][j]) <= 1e-5f * scale, $"{network.Parameters[i].Name}[{j}]: {expectedGrads[i][j]} vs {actualGrads[i][j]} (largest {scale})");
            }
        }
    }
}
