using PipeRL.Agents.Networks;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Networks;

public sealed class PipelineActorTests
{
    private const int Ticks = 6;
    private const int Envs = 3;

    private static PipelineActor Actor(string arch, int[] shape, int actions = 4) =>
        new(ArchitectureCatalogue.Build(arch, new ArchitectureOptions { ObservationShape = shape, Actions = actions, Width = 16, Cnn = CnnTorso.MinAtarSmall }), 5);

    private static float[] Inputs(int size, int seed)
    {
        var rng = new SeededRandom((ulong)seed);
        var x = new float[Ticks * Envs * size];
        rng.FillUniform(x, -1, 1);
        return x;
    }

    private static float[] Stream(PipelineActor actor, float[] inputs)
    {
        var size = actor.InputSize;
        var outputs = new float[Ticks * Envs * actor.OutputSize];
        actor.Begin(inputs.AsSpan(0, Envs * size), Envs);
        for (var t = 0; t < Ticks; t++)
        {
            actor.Step(inputs.AsSpan(t * Envs * size, Envs * size), outputs.AsSpan(t * Envs * actor.OutputSize, Envs * actor.OutputSize));
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
        var unrolled = actor.Unroll(tape, inputs, Ticks, Envs).Value.Span;
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
        var whole = actor.Unroll(tape, inputs, Ticks, Envs).Value.Span.ToArray();
        var tail = actor.Unroll(tape, inputs, Ticks, Envs, fromTick).Value.Span.ToArray();
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

    [Fact]
    public void PolicyHeadStartsNearUniform()
    {
        var actor = Actor("instant", [5]);
        var outputs = new float[actor.OutputSize];
        actor.Begin(new float[actor.InputSize], 1);
        actor.Step([1f, -1f, 0.5f, 2f, -0.3f], outputs);
        Assert.All(outputs, v => Assert.InRange(v, -0.1f, 0.1f));
    }
}
