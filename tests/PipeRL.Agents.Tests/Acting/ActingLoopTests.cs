using PipeRL.Agents.Acting;
using PipeRL.Agents.Networks;
using PipeRL.Envs;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Acting;

public sealed class ActingLoopTests
{
    private const int Envs = 2;
    private const int Obs = 3;
    private const int Actions = 4;

    private static ActingLoop Loop(ExecutionMode mode, HistoryWindow window, int history = 2)
    {
        var architecture = ArchitectureCatalogue.Build("temporal-skip", new ArchitectureOptions { ObservationShape = [Obs], Actions = Actions, Width = 8, HistoryLength = history, Execution = mode });
        return new ActingLoop(new PipelineActor(architecture, 1), new DiscreteSpace(Actions), Envs, Obs, window);
    }

    /// <summary>Runs <paramref name="loop"/> for some ticks and returns, per tick, its inputs and actions.</summary>
    private static List<(float[] Inputs, float[] Actions)> Run(ActingLoop loop, int ticks)
    {
        var random = new SeededRandom(3);
        var observations = new float[Envs * Obs];
        random.FillUniform(observations, 0, 1);
        loop.Begin(observations);
        var seen = new List<(float[], float[])>();
        for (var t = 0; t < ticks; t++)
        {
            random.FillUniform(observations, 0, 1);
            loop.Act(observations, random);
            seen.Add((loop.Inputs.ToArray(), loop.Actions.ToArray()));
        }

        return seen;
    }

    /// <summary>The action one-hot in history slot <paramref name="slot"/> (0 oldest) of env <paramref name="env"/>'s input, or −1 for none.</summary>
    private static int HistoryAction(float[] inputs, int env, int slot, int history)
    {
        var row = inputs.AsSpan((env * (Obs + (history * Actions))) + Obs + (slot * Actions), Actions);
        return row.IndexOf(1f);
    }

    [Theory]
    [InlineData(HistoryWindow.InFlight, 0)]
    [InlineData(HistoryWindow.Authors, 1)]
    public void ADelayedActorsInputCarriesTheActionOfItsOwnTickOnlyWithTheInFlightWindow(HistoryWindow window, int lag)
    {
        var seen = Run(Loop(ExecutionMode.Pipelined, window), 12);
        for (var t = 2; t < seen.Count; t++)
        {
            for (var env = 0; env < Envs; env++)
            {
                // The newest slot holds a_(t - lag), the one before it a_(t - lag - 1).
                Assert.Equal((int)seen[t - lag].Actions[env], HistoryAction(seen[t].Inputs, env, 1, 2));
                Assert.Equal((int)seen[t - lag - 1].Actions[env], HistoryAction(seen[t].Inputs, env, 0, 2));
            }
        }
    }

    [Theory]
    [InlineData(HistoryWindow.InFlight)]
    [InlineData(HistoryWindow.Authors)]
    public void AnInstantActorHasNoActionInFlightSoBothWindowsEndAtTheLastAction(HistoryWindow window)
    {
        var seen = Run(Loop(ExecutionMode.Instant, window), 8);
        for (var t = 1; t < seen.Count; t++)
        {
            Assert.Equal((int)seen[t - 1].Actions[0], HistoryAction(seen[t].Inputs, 0, 1, 2));
        }
    }

    [Theory]
    [InlineData(ExecutionMode.Pipelined, HistoryWindow.InFlight)]
    [InlineData(ExecutionMode.Pipelined, HistoryWindow.Authors)]
    [InlineData(ExecutionMode.Instant, HistoryWindow.InFlight)]
    public void CriticInputsEndAtTheActionBeforeTheOneDecided(ExecutionMode mode, HistoryWindow window)
    {
        var loop = Loop(mode, window);
        var random = new SeededRandom(3);
        var observations = new float[Envs * Obs];
        random.FillUniform(observations, 0, 1);
        loop.Begin(observations);
        var next = new float[loop.Actor.InputSize];
        var actions = new List<float[]>();
        for (var t = 0; t < 10; t++)
        {
            random.FillUniform(observations, 0, 1);
            if (t > 0)
            {
                // What the trainer bootstraps from after a step is the critic input of the tick that observes it.
                loop.WriteHistoryInput(1, observations.AsSpan(Obs, Obs), next);
            }

            loop.Act(observations, random);
            actions.Add(loop.Actions.ToArray());
            var critic = loop.CriticInputs.ToArray();
            Assert.Equal(observations.AsSpan(0, Obs).ToArray(), critic.AsSpan(0, Obs).ToArray());
            for (var env = 0; env < Envs; env++)
            {
                Assert.Equal(t >= 1 ? (int)actions[t - 1][env] : -1, HistoryAction(critic, env, 1, 2));
                Assert.Equal(t >= 2 ? (int)actions[t - 2][env] : -1, HistoryAction(critic, env, 0, 2));
            }

            if (t > 0)
            {
                Assert.Equal(next, critic.AsSpan(loop.Actor.InputSize, loop.Actor.InputSize).ToArray());
            }
        }
    }

    [Fact]
    public void TheActionInFlightReachesTheHeadValueThatPicksTheNextAction()
    {
        // Delay 1: the head value computed during tick 0, which picks a_1, reads tick 0's input [o_0; a_0].
        var loop = Loop(ExecutionMode.Pipelined, HistoryWindow.InFlight, history: 1);
        var actor = loop.Actor;
        var observations = new float[Envs * Obs];
        new SeededRandom(5).FillUniform(observations, 0, 1);
        loop.Begin(observations);
        var start = actor.Snapshot();
        loop.Act(observations, new SeededRandom(1));
        var stride = actor.InputSize;
        var input = new float[3 * Envs * stride];
        loop.Inputs.CopyTo(input);
        var changed = (float[])input.Clone();
        var other = ((int)loop.Actions[0] + 1) % Actions;
        changed.AsSpan(Obs, Actions).Clear();
        changed[Obs + other] = 1f;

        using var tape = new Tape();
        var acted = actor.Replay(tape, input, 3, [0, 1], start, []).Value.Span.ToArray();
        var replaced = actor.Replay(tape, changed, 3, [0, 1], start, []).Value.Span.ToArray();
        var o = actor.OutputSize;
        Assert.Equal(acted.AsSpan(0, o).ToArray(), replaced.AsSpan(0, o).ToArray());
        Assert.NotEqual(acted.AsSpan(Envs * o, o).ToArray(), replaced.AsSpan(Envs * o, o).ToArray());
        Assert.Equal(acted.AsSpan((Envs * o) + o, o).ToArray(), replaced.AsSpan((Envs * o) + o, o).ToArray());
    }

    [Theory]
    [InlineData(ExecutionMode.Instant)]
    [InlineData(ExecutionMode.Pipelined)]
    [InlineData(ExecutionMode.Sequential)]
    public void ALoopResumedFromAWrittenStateActsAsTheWriterWouldHave(ExecutionMode mode)
    {
        // A sequential actor holds its actions between passes: they, the histories and the pass in flight must come across.
        var writer = Loop(mode, HistoryWindow.InFlight);
        var random = new SeededRandom(3);
        var observations = new float[Envs * Obs];
        random.FillUniform(observations, 0, 1);
        writer.Begin(observations);
        for (var t = 0; t < 5; t++)
        {
            random.FillUniform(observations, 0, 1);
            writer.Act(observations, random);
        }

        writer.EndEpisode(1);
        using var state = new MemoryStream();
        writer.WriteState(new BinaryWriter(state));
        var resumed = Loop(mode, HistoryWindow.InFlight);
        state.Position = 0;
        resumed.Resume(new BinaryReader(state));
        var resumedRandom = new SeededRandom(0);
        resumedRandom.SetState(random.GetState());
        for (var t = 0; t < 9; t++)
        {
            random.FillUniform(observations, 0, 1);
            resumedRandom.FillUniform(observations, 0, 1);
            writer.Act(observations, random);
            resumed.Act(observations, resumedRandom);
            Assert.Equal(writer.Decided, resumed.Decided);
            Assert.Equal(writer.Inputs.ToArray(), resumed.Inputs.ToArray());
            Assert.Equal(writer.Actions.ToArray(), resumed.Actions.ToArray());
            Assert.Equal(writer.LogProbs.ToArray(), resumed.LogProbs.ToArray());
        }
    }
}
