using PipeRL.Agents.Networks;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Networks;

public sealed class PipelineActorTests
{
    private const int Ticks = 6;
    private const int Envs = 3;

    private static PipelineActor Actor(string arch, int[] shape, int actions = 4, ExecutionMode? execution = null, EpisodeBoundary boundary = EpisodeBoundary.Carry) =>
        new(ArchitectureCatalogue.Build(arch, new ArchitectureOptions { ObservationShape = shape, Actions = actions, Width = 16, Cnn = CnnTorso.MinAtarSmall, Execution = execution }), 5, boundary);

    private static float[] Inputs(int size, int seed)
    {
        var rng = new SeededRandom((ulong)seed);
        var x = new float[Ticks * Envs * size];
        rng.FillUniform(x, -1, 1);
        return x;
    }

    /// <summary>The acting outputs of every tick, in the acting loop's order (a delayed actor's before its tick, an instant one's after).</summary>
    private static float[] Stream(PipelineActor actor, float[] inputs, bool[]? ends = null, int ticks = Ticks)
    {
        var size = actor.InputSize;
        var o = actor.OutputSize;
        var outputs = new float[ticks * Envs * o];
        actor.Begin(inputs.AsSpan(0, Envs * size), Envs);
        for (var t = 0; t < ticks; t++)
        {
            var output = outputs.AsSpan(t * Envs * o, Envs * o);
            if (actor.ActsBeforeInput)
            {
                actor.ActingOutput.CopyTo(output);
            }

            actor.Tick(inputs.AsSpan(t * Envs * size, Envs * size));
            if (!actor.ActsBeforeInput)
            {
                actor.ActingOutput.CopyTo(output);
            }

            for (var j = 0; ends is not null && j < Envs; j++)
            {
                if (ends[(t * Envs) + j])
                {
                    actor.EndEpisode(j);
                }
            }
        }

        return outputs;
    }

    [Theory]
    [InlineData("instant", new[] { 5 })]
    [InlineData("pipelined", new[] { 5 })]
    [InlineData("temporal-skip", new[] { 5 })]
    [InlineData("temporal-skip-aug", new[] { 5 })]
    [InlineData("temporal-skip", new[] { 6, 6, 2 })]
    public void UnrollReplaysExactlyWhatStreamingProduced(string arch, int[] shape)
    {
        var actor = Actor(arch, shape);
        var inputs = Inputs(actor.InputSize, 1);
        var streamed = Stream(actor, inputs);
        using var tape = new Tape();
        var unrolled = actor.Replay(tape, inputs, Ticks, [0, 1, 2], start: null, []).Value.Span;
        var o = actor.OutputSize;
        for (var t = 0; t < Ticks; t++)
        {
            for (var j = 0; j < Envs; j++)
            {
                for (var k = 0; k < o; k++)
                {
                    Assert.Equal(streamed[(((t * Envs) + j) * o) + k], unrolled[(((t * Envs) + j) * o) + k], 4);
                }
            }
        }
    }

    [Theory]
    [InlineData("instant", new[] { 5 })]
    [InlineData("pipelined", new[] { 5 })]
    [InlineData("temporal-skip-aug", new[] { 6, 6, 2 })]
    [InlineData("lstm", new[] { 5 })]
    public void UnrollFromATickGivesThatTicksRowsOfTheWholeUnroll(string arch, int[] shape)
    {
        var actor = Actor(arch, shape);
        var inputs = Inputs(actor.InputSize, 3);
        const int fromTick = 4;
        using var tape = new Tape();
        var whole = actor.Replay(tape, inputs, Ticks, [0, 1, 2], start: null, []).Value.Span.ToArray();
        var tail = actor.Replay(tape, inputs, Ticks, [0, 1, 2], start: null, [], fromTick).Value.Span.ToArray();
        var skipped = fromTick * Envs * actor.OutputSize;
        Assert.Equal(whole.Length - skipped, tail.Length);
        for (var i = 0; i < tail.Length; i++)
        {
            Assert.Equal(whole[skipped + i], tail[i], 5);
        }
    }

    [Theory]
    [InlineData("instant", 0)]
    [InlineData("temporal-skip", 1)]
    [InlineData("pipelined", 3)]
    public void AnImpulseReachesTheActionsExactlyAtTheGraphsDelays(string arch, int delay)
    {
        var actor = Actor(arch, [5]);
        Assert.Equal(delay, actor.MinimumDelay);
        var delays = actor.Architecture.Delays().Delays;
        var inputs = Inputs(actor.InputSize, 2);
        var baseline = Stream(actor, inputs);
        const int impulseTick = 1;
        var kicked = (float[])inputs.Clone();
        kicked[(impulseTick * Envs * actor.InputSize) + 2] += 5f;
        var response = Stream(actor, kicked);
        var o = actor.OutputSize;
        for (var t = 0; t < Ticks; t++)
        {
            var changed = false;
            for (var k = 0; k < Envs * o; k++)
            {
                changed |= baseline[(t * Envs * o) + k] != response[(t * Envs * o) + k];
            }

            Assert.True(changed == delays.Contains(t - impulseTick), $"tick {t}: changed = {changed}, delays [{string.Join(", ", delays)}]");
        }
    }

    [Theory]
    [InlineData("pipelined", 3)]
    [InlineData("temporal-skip", 3)]
    public void SequentialEmitsANewActionEveryNTicksFromTheInputNTicksOld(string arch, int depth)
    {
        var actor = Actor(arch, [5], execution: ExecutionMode.Sequential);
        Assert.Equal(depth, actor.ActionPeriod);
        Assert.Equal(depth, actor.MinimumDelay);
        Assert.Equal(Enumerable.Range(depth, depth), actor.Architecture.Delays().Delays);
        const int ticks = 12;
        var inputs = new float[ticks * Envs * actor.InputSize];
        new SeededRandom(4).FillUniform(inputs, -1, 1);
        actor.Begin(inputs.AsSpan(0, Envs * actor.InputSize), Envs);
        var decisions = new List<int>();
        for (var t = 0; t < ticks; t++)
        {
            if (actor.DecidesNextTick)
            {
                decisions.Add(t);
            }

            actor.Tick(inputs.AsSpan(t * Envs * actor.InputSize, Envs * actor.InputSize));
        }

        Assert.Equal([0, 3, 6, 9], decisions);

        // The output acting from tick 6 on is the whole graph on tick 3's input.
        var streamed = Stream(actor, inputs, ticks: ticks);
        var instant = Actor(arch, [5], execution: ExecutionMode.Instant);
        var reference = Stream(instant, inputs, ticks: ticks);
        var o = actor.OutputSize;
        for (var t = 6; t < 9; t++)
        {
            Assert.Equal(reference.AsSpan(3 * Envs * o, Envs * o), streamed.AsSpan(t * Envs * o, Envs * o));
        }
    }

    [Theory]
    [InlineData("instant", ExecutionMode.Instant, EpisodeBoundary.Carry)]
    [InlineData("pipelined", ExecutionMode.Pipelined, EpisodeBoundary.Carry)]
    [InlineData("temporal-skip-aug", ExecutionMode.Pipelined, EpisodeBoundary.Reset)]
    [InlineData("lstm", ExecutionMode.Pipelined, EpisodeBoundary.Carry)]
    [InlineData("lstm", ExecutionMode.Pipelined, EpisodeBoundary.Reset)]
    [InlineData("residual", ExecutionMode.Pipelined, EpisodeBoundary.Reset)]
    [InlineData("pipelined", ExecutionMode.Sequential, EpisodeBoundary.Carry)]
    [InlineData("temporal-skip", ExecutionMode.Sequential, EpisodeBoundary.Carry)]
    public void ReplayFromASnapshotReproducesTheStreamedOutputsOfASubsetOfEnvs(string arch, ExecutionMode mode, EpisodeBoundary boundary)
    {
        var actor = Actor(arch, [5], execution: mode, boundary: boundary);
        const int warm = 4, ticks = 7;
        var inputs = new float[(warm + ticks) * Envs * actor.InputSize];
        new SeededRandom(9).FillUniform(inputs, -1, 1);
        var ends = new bool[(warm + ticks) * Envs];
        ends[((warm + 2) * Envs) + 1] = true;
        ends[(1 * Envs) + 0] = true;
        var streamed = Stream(actor, inputs, ends, warm + ticks);

        // Stream again to the snapshot point, then replay the rest for envs 2 and 1.
        var size = actor.InputSize;
        actor.Begin(inputs.AsSpan(0, Envs * size), Envs);
        for (var t = 0; t < warm; t++)
        {
            actor.Tick(inputs.AsSpan(t * Envs * size, Envs * size));
            for (var j = 0; j < Envs; j++)
            {
                if (ends[(t * Envs) + j])
                {
                    actor.EndEpisode(j);
                }
            }
        }

        var snapshot = actor.Snapshot();
        int[] envs = [2, 1];
        var window = new float[ticks * envs.Length * size];
        var starts = new bool[ticks * envs.Length];
        for (var t = 0; t < ticks; t++)
        {
            for (var j = 0; j < envs.Length; j++)
            {
                inputs.AsSpan((((warm + t) * Envs) + envs[j]) * size, size).CopyTo(window.AsSpan(((t * envs.Length) + j) * size, size));
                starts[(t * envs.Length) + j] = ends[((warm + t - 1) * Envs) + envs[j]];
            }
        }

        using var tape = new Tape();
        var replayed = actor.Replay(tape, window, ticks, envs, snapshot, starts).Value.Span;
        var o = actor.OutputSize;
        for (var t = 0; t < ticks; t++)
        {
            for (var j = 0; j < envs.Length; j++)
            {
                for (var k = 0; k < o; k++)
                {
                    Assert.Equal(streamed[(((warm + t) * Envs) + envs[j]) * o + k], replayed[(((t * envs.Length) + j) * o) + k], 5);
                }
            }
        }
    }

    [Fact]
    public void SequentialRefusesResettingItsPassAndLstmCells()
    {
        Assert.Throws<ArgumentException>(() => Actor("pipelined", [5], execution: ExecutionMode.Sequential, boundary: EpisodeBoundary.Reset));
        Assert.Throws<ArgumentException>(() => Actor("lstm", [5], execution: ExecutionMode.Sequential));
    }

    [Fact]
    public void LstmRecurrentWeightsStartOrthogonalNotZero()
    {
        var actor = Actor("lstm", [5]);
        var recurrent = actor.Parameters.Where(p => p.Name.StartsWith("lstm", StringComparison.Ordinal) && p.Shape.Rank == 2).ToList();
        Assert.NotEmpty(recurrent);
        Assert.All(recurrent, p => Assert.Contains(p.Value.Span.ToArray(), v => v != 0f));
    }

    [Fact]
    public void PolicyHeadStartsNearUniform()
    {
        var actor = Actor("instant", [5]);
        actor.Begin(new float[actor.InputSize], 1);
        actor.Tick([1f, -1f, 0.5f, 2f, -0.3f]);
        Assert.All(actor.ActingOutput.ToArray(), v => Assert.InRange(v, -0.1f, 0.1f));
    }

    [Theory]
    [InlineData("instant", ExecutionMode.Instant, EpisodeBoundary.Carry)]
    [InlineData("pipelined", ExecutionMode.Pipelined, EpisodeBoundary.Carry)]
    [InlineData("temporal-skip-aug", ExecutionMode.Pipelined, EpisodeBoundary.Reset)]
    [InlineData("lstm", ExecutionMode.Pipelined, EpisodeBoundary.Reset)]
    [InlineData("lstm", ExecutionMode.Instant, EpisodeBoundary.Carry)]
    [InlineData("pipelined", ExecutionMode.Sequential, EpisodeBoundary.Carry)]
    [InlineData("cnn-skipres-aug", ExecutionMode.Pipelined, EpisodeBoundary.Carry)]
    public void AnActorResumedFromAWrittenStateTicksOnBitForBit(string arch, ExecutionMode mode, EpisodeBoundary boundary)
    {
        int[] shape = arch.StartsWith("cnn-", StringComparison.Ordinal) ? [10, 10, 4] : [5];
        var writer = Actor(arch, shape, execution: mode, boundary: boundary);
        const int warm = 5, ticks = 9;
        var size = writer.InputSize;
        var inputs = new float[(warm + ticks) * Envs * size];
        new SeededRandom(9).FillUniform(inputs, -1, 1);
        var ends = new bool[(warm + ticks) * Envs];
        (ends[(2 * Envs) + 1], ends[((warm + 3) * Envs) + 2]) = (true, true);
        writer.Begin(inputs.AsSpan(0, Envs * size), Envs);
        for (var t = 0; t < warm; t++)
        {
            TickAndEnd(writer, inputs, ends, t);
        }

        using var state = new MemoryStream();
        writer.WriteActingState(new BinaryWriter(state));

        // Another actor that has acted on other inputs; it has the writer's weights (same seed), as after a checkpoint restore.
        var resumed = Actor(arch, shape, execution: mode, boundary: boundary);
        resumed.Begin(inputs.AsSpan(Envs * size, Envs * size), Envs);
        resumed.Tick(inputs.AsSpan(2 * Envs * size, Envs * size));
        state.Position = 0;
        resumed.ResumeActing(new BinaryReader(state), Envs);
        Assert.Equal(state.Length, state.Position);
        for (var t = warm; t < warm + ticks; t++)
        {
            Assert.Equal(writer.DecidesNextTick, resumed.DecidesNextTick);
            Assert.Equal(writer.ActingOutput.ToArray(), resumed.ActingOutput.ToArray());
            TickAndEnd(writer, inputs, ends, t);
            TickAndEnd(resumed, inputs, ends, t);
            Assert.Equal(writer.ActingOutput.ToArray(), resumed.ActingOutput.ToArray());
        }
    }

    [Fact]
    public void AStateOfAnotherArchitectureOrEnvCountIsRefused()
    {
        var pipelined = Actor("pipelined", [5]);
        pipelined.Begin(new float[Envs * pipelined.InputSize], Envs);
        using var state = new MemoryStream();
        pipelined.WriteActingState(new BinaryWriter(state));
        state.Position = 0;
        Assert.Contains("actor pipelined", Assert.Throws<InvalidDataException>(() => Actor("residual", [5]).ResumeActing(new BinaryReader(state), Envs)).Message, StringComparison.Ordinal);
        state.Position = 0;
        Assert.Contains("3 envs", Assert.Throws<InvalidDataException>(() => Actor("pipelined", [5]).ResumeActing(new BinaryReader(state), 2)).Message, StringComparison.Ordinal);
    }

    private static void TickAndEnd(PipelineActor actor, float[] inputs, bool[] ends, int t)
    {
        var size = actor.InputSize;
        actor.Tick(inputs.AsSpan(t * Envs * size, Envs * size));
        for (var j = 0; j < Envs; j++)
        {
            if (ends[(t * Envs) + j])
            {
                actor.EndEpisode(j);
            }
        }
    }
}
