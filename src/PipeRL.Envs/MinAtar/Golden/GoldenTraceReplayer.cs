
namespace PipeRL.Envs.MinAtar.Golden;

/// <summary>
/// Replays a golden trace through the C# port and reports the first record that differs: the draws (calls,
/// bounds, values, count), then <c>ae</c>, <c>r</c>, <c>term</c>, <c>ramp</c> and the packed observation.
/// </summary>
public static class GoldenTraceReplayer
{
    /// <summary>Whether the port has the trace's game.</summary>
    public static bool CanReplay(GoldenTrace trace) => MinAtarGames.HasGame(trace.Header.Game);

    /// <summary>Replays <paramref name="trace"/> in <paramref name="mode"/>; throws when the game is not available (see <see cref="CanReplay"/>).</summary>
    public static GoldenReplayResult Replay(GoldenTrace trace, GoldenReplayMode mode)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var header = trace.Header;
        var game = MinAtarGames.CreateGame(header.Game, header.DifficultyRamping);
        var headerMismatch = CheckHeader(game, header);
        if (headerMismatch is not null)
        {
            return new GoldenReplayResult(trace.Name, mode, 0, trace.Records.Count, headerMismatch);
        }

        // The constructor's draws are ignored, as the golden README says; seeding replaces the stream.
        var environment = new MinAtarEnvironment(game, new NumpyRandomState(header.Seed), header.StickyActionProbability);
        environment.Seed(header.Seed);
        var source = new TraceRandomSource(mode == GoldenReplayMode.Seeded ? environment.Random : null);
        environment.Random = source;
        var packed = new byte[MinAtarObservation.PackedLength(game.Channels)];
        var hidden = new int[64];
        for (var i = 0; i < trace.Records.Count; i++)
        {
            var mismatch = Check(environment, source, trace.Records[i], packed, hidden);
            if (mismatch is not null)
            {
                return new GoldenReplayResult(trace.Name, mode, i, trace.Records.Count, mismatch);
            }
        }

        return new GoldenReplayResult(trace.Name, mode, trace.Records.Count, trace.Records.Count, null);
    }

    private static GoldenMismatch? CheckHeader(MinAtarGame game, GoldenTraceHeader header)
    {
        if (!game.ChannelNames.SequenceEqual(header.Channels))
        {
            return new GoldenMismatch(1, "channels", string.Join(",", header.Channels), string.Join(",", game.ChannelNames), string.Empty);
        }

        return game.MinimalActionSet.SequenceEqual(header.MinimalActionSet)
            ? null
            : new GoldenMismatch(1, "minimal_action_set", string.Join(",", header.MinimalActionSet), string.Join(",", game.MinimalActionSet), string.Empty);
    }

    private static GoldenMismatch? Check(MinAtarEnvironment environment, TraceRandomSource source, GoldenTraceRecord record, byte[] packed, int[] hidden)
    {
        var reward = 0;
        var terminal = false;
        source.Expect(record.Draws);
        try
        {
            if (record.IsReset)
            {
                environment.Reset();
            }
            else
            {
                (reward, terminal) = environment.Act(record.Action);
            }
        }
        catch (GoldenDrawMismatchException ex)
        {
            return Mismatch(environment, record, hidden, "draws", ex.Expected, ex.Actual);
        }

        if (source.Consumed != record.Draws.Count)
        {
            return Mismatch(environment, record, hidden, "draws", $"{record.Draws.Count} draws", $"{source.Consumed} draws");
        }

        if (!record.IsReset)
        {
            if (environment.LastAction != record.EffectiveAction)
            {
                return Mismatch(environment, record, hidden, "ae", $"{record.EffectiveAction}", $"{environment.LastAction}");
            }

            if (reward != record.Reward)
            {
                return Mismatch(environment, record, hidden, "r", $"{record.Reward}", $"{reward}");
            }

            if (terminal != record.Terminal)
            {
                return Mismatch(environment, record, hidden, "term", $"{record.Terminal}", $"{terminal}");
            }

            if (environment.Game.DifficultyRamp != record.Ramp)
            {
                return Mismatch(environment, record, hidden, "ramp", $"{record.Ramp?.ToString() ?? "null"}", $"{environment.Game.DifficultyRamp?.ToString() ?? "null"}");
            }
        }

        environment.WritePackedObservation(packed);
        if (packed.AsSpan().SequenceEqual(record.Observation))
        {
            return null;
        }

        var mismatch = Mismatch(environment, record, hidden, "obs", Convert.ToHexStringLower(record.Observation), Convert.ToHexStringLower(packed));
        return mismatch with { Detail = $"{FirstDifferingCell(record.Observation, packed, environment.Game.Channels)}; {mismatch.Detail}" };
    }

    private static string FirstDifferingCell(byte[] expected, byte[] actual, int channels)
    {
        var length = Math.Min(expected.Length, actual.Length);
        for (var bit = 0; bit < length * 8; bit++)
        {
            var mask = 0x80 >> (bit & 7);
            var want = (expected[bit >> 3] & mask) != 0;
            if (want != ((actual[bit >> 3] & mask) != 0))
            {
                var cell = bit / channels;
                return $"first difference at row {cell / 10}, col {cell % 10}, channel {bit % channels}: expected {(want ? 1 : 0)}";
            }
        }

        return $"observation lengths differ: {expected.Length} and {actual.Length} bytes";
    }

    // The hidden reference values of both sides point at the timer or counter that went wrong first.
    private static GoldenMismatch Mismatch(MinAtarEnvironment environment, GoldenTraceRecord record, int[] hidden, string field, string expected, string actual)
    {
        var count = environment.Game.WriteHiddenState(hidden);
        var detail = count == 0 && record.Hidden.Count == 0
            ? string.Empty
            : $"hidden [{string.Join(",", environment.Game.HiddenFieldNames)}] expected [{string.Join(",", record.Hidden)}], actual [{string.Join(",", hidden.Take(count))}]";
        return new GoldenMismatch(record.Line, field, expected, actual, detail);
    }
}
