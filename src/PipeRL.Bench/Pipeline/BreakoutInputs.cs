using PipeRL.Envs.MinAtar;
using PipeRL.Tensors;

namespace PipeRL.Bench.Pipeline;

/// <summary>
/// Actor inputs of a seeded MinAtar Breakout rollout with uniformly random actions: the 10×10×4 binary frame, then
/// the one-hot last actions when the architecture appends a history (as the trainer writes them).
/// </summary>
public static class BreakoutInputs
{
    /// <summary>The observation channels of Breakout.</summary>
    public const int Channels = 4;

    /// <summary>The full MinAtar action set.</summary>
    public const int Actions = 6;

    /// <summary><paramref name="ticks"/> inputs of <paramref name="history"/> last actions each, from seed <paramref name="seed"/>.</summary>
    public static float[][] Rollout(int ticks, int history, uint seed)
    {
        using var env = MinAtarGames.Create("minatar/breakout", seed: seed);
        var rng = new SeededRandom(seed);
        var pixels = env.ObservationSpace.FlatSize;
        var observation = new float[pixels];
        var lastActions = new int[history];
        var action = new float[1];
        env.Reset(observation);
        var inputs = new float[ticks][];
        for (var t = 0; t < ticks; t++)
        {
            var input = new float[pixels + (history * Actions)];
            observation.CopyTo(input, 0);
            for (var h = 0; h < history; h++)
            {
                input[pixels + (h * Actions) + lastActions[h]] = 1f;
            }

            inputs[t] = input;
            var a = rng.NextInt(Actions);
            if (history > 0)
            {
                Array.Copy(lastActions, 0, lastActions, 1, history - 1);
                lastActions[0] = a;
            }

            action[0] = a;
            if (env.Step(action, observation).Done)
            {
                env.Reset(observation);
            }
        }

        return inputs;
    }
}
