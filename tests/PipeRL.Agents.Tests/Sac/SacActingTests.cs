using PipeRL.Agents.Acting;
using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Sac;
using PipeRL.Agents.Tests.Support;
using PipeRL.Envs.Vector;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Sac;

public sealed class SacActingTests
{
    [Theory]
    [InlineData("linear-aug", HistoryWindow.InFlight)]
    [InlineData("linear-aug", HistoryWindow.Authors)]
    [InlineData("temporal-skip-aug", HistoryWindow.InFlight)]
    [InlineData("temporal-skip-aug", HistoryWindow.Authors)]
    [InlineData("pipelined", HistoryWindow.InFlight)]
    [InlineData("instant", HistoryWindow.InFlight)]
    public void AReplayedWindowGivesTheOutputsTheActorActedOn(string arch, HistoryWindow window)
    {
        // Replayed from the window's start (layer values from an instant pass on its first input), the actor must give
        // the outputs that decided each sampled transition's action and the next one: the window covers the receptive
        // window. linear-aug is a linear head on [o_t; last action] at delay 1.
        var architecture = arch == "linear-aug" ? LinearAug() : ArchitectureCatalogue.Build(arch, new ArchitectureOptions { ObservationShape = [6], Actions = 4, Width = 16 });
        var actor = new PipelineActor(architecture, 3);
        using var env = SyncVectorEnv.Create(1, _ => new EchoEnv(1, showsPast: true));
        var options = SacOptions.MinAtar with { BatchSize = 32, BufferSize = 1000 };
        var acting = new SacActing(env, actor, new CategoricalPolicy(4), options, window);
        var random = new SeededRandom(5);
        acting.Begin(seed: 2, workers: null);
        // The output that decided each row's action: a delayed actor's is the head value before the tick, an instant one's
        // the value of the tick itself. A delayed actor's a′ at an episode's final row is drawn from the head value after
        // the episode's last tick; an instant one's reads the final input, which acting never ticks on.
        var decided = new Dictionary<long, float[]>();
        for (var tick = 0; tick < 300; tick++)
        {
            var row = acting.Replay.RowsWritten;
            if (actor.ActsBeforeInput)
            {
                decided[row] = actor.ActingOutput.ToArray();
            }

            acting.Step(random, warmUp: false, tick + 1, observer: null);
            if (!actor.ActsBeforeInput)
            {
                decided[row] = actor.ActingOutput.ToArray();
            }
            else if (acting.Replay.RowsWritten == row + 2)
            {
                decided[row + 1] = actor.ActingOutput.ToArray();
            }
        }

        acting.Sample(random);
        var w = acting.Windows;
        using var tape = new Tape();
        int[] rows = [.. Enumerable.Range(0, w.Batch)];
        var ticks = acting.ReplayTicks;
        var replayed = actor.Replay(tape, w.ActorInputs.AsSpan(0, ticks * w.Batch * w.InputSize), ticks, rows, start: null, episodeStarts: default, fromTick: ticks - 2).Value.Span;
        var compared = 0;
        for (var i = 0; i < w.Batch; i++)
        {
            // Rows [0, B) decide the transitions' actions a_t, rows [B, 2B) the next ones, a′.
            var row = w.Rows[((w.Length - 1) * w.Batch) + i];
            Near(decided[row], replayed.Slice(i * 4, 4));
            if (decided.TryGetValue(row + 1, out var next))
            {
                Near(next, replayed.Slice((w.Batch + i) * 4, 4));
                compared++;
            }
        }

        Assert.True(compared > w.Batch / 2, $"only {compared} of {w.Batch} next outputs compared");
    }

    private static Architecture LinearAug()
    {
        var b = new GraphBuilder();
        b.CategoricalHead(ArchitectureCatalogue.PolicyName, b.Input(ArchitectureCatalogue.InputName, 6 + 4), 4);
        return new Architecture { Name = "linear-aug", Graph = b.Build(), Mode = ExecutionMode.Pipelined, HistoryLength = 1, Description = "linear policy, delay 1" };
    }

    // A batch of windows and a single env round differently in the last bits.
    private static void Near(float[] expected, ReadOnlySpan<float> actual)
    {
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], actual[k], 1e-6f);
        }
    }
}
