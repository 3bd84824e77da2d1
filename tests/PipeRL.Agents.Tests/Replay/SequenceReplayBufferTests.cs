using PipeRL.Agents.Replay;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;

namespace PipeRL.Agents.Tests.Replay;

public sealed class SequenceReplayBufferTests
{
    private const int Window = 4;

    private enum End
    {
        Terminated,
        Truncated,
    }

    /// <summary>Episodes whose inputs are [episode, step, 0] and whose final input is [episode, length, 1]; action = 100 · episode + step, reward = step.</summary>
    private static SequenceReplayBuffer Fill(TruncationHandling handling, (int Length, End End)[] episodes, int capacity = 1000)
    {
        var buffer = new SequenceReplayBuffer(capacity, 3, 1, Window, handling);
        for (var e = 0; e < episodes.Length; e++)
        {
            var (length, end) = episodes[e];
            for (var s = 0; s < length; s++)
            {
                var last = s == length - 1;
                buffer.Add([e, s, 0], [(100 * e) + s], s, last && end == End.Terminated, last && end == End.Truncated, [e, length, 1]);
            }
        }

        return buffer;
    }

    private static readonly (int, End)[] Mixed = [(9, End.Terminated), (3, End.Truncated), (12, End.Truncated), (2, End.Terminated), (7, End.Terminated), (5, End.Truncated), (10, End.Terminated)];

    [Fact]
    public void WindowsAreConsecutiveTicksOfOneEpisodeEndingAtTheSampledTransition()
    {
        var buffer = Fill(TruncationHandling.Bootstrap, Mixed);
        var windows = new ReplayWindows(64, Window, 3, 1);
        var random = new SeededRandom(3);
        var endsSeen = 0;
        for (var round = 0; round < 20; round++)
        {
            buffer.Sample(random, windows);
            for (var b = 0; b < windows.Batch; b++)
            {
                var episode = (int)windows.Tick(0)[b * 3];
                var first = (int)windows.Tick(0)[(b * 3) + 1];
                for (var t = 0; t < Window; t++)
                {
                    Assert.Equal([episode, first + t, 0], windows.Tick(t).Slice(b * 3, 3).ToArray());
                    Assert.Equal(windows.Rows[b] + t, windows.Rows[(t * windows.Batch) + b]);
                }

                var step = first + Window - 1;
                var (length, end) = Mixed[episode];
                var ended = step == length - 1;
                Assert.Equal((100 * episode) + step, windows.Actions[b]);
                Assert.Equal(step, windows.Rewards[b]);
                Assert.Equal(ended && end == End.Terminated, windows.Terminated[b]);
                Assert.Equal(ended && end == End.Truncated, windows.Truncated[b]);
                Assert.Equal([episode, step + 1, ended ? 1 : 0], windows.Tick(Window).Slice(b * 3, 3).ToArray());
                endsSeen += ended ? 1 : 0;
            }
        }

        Assert.True(endsSeen > 0, "Transitions that end an episode are sampled as the last tick of a window.");
    }

    [Fact]
    public void TheAuthorsHandlingCrossesTimeLimitCutsButNeverTerminations()
    {
        var buffer = Fill(TruncationHandling.Terminal, Mixed);
        var windows = new ReplayWindows(64, Window, 3, 1);
        var random = new SeededRandom(5);
        var crossings = 0;
        for (var round = 0; round < 20; round++)
        {
            buffer.Sample(random, windows);
            for (var b = 0; b < windows.Batch; b++)
            {
                for (var t = 1; t < Window; t++)
                {
                    var before = windows.Tick(t - 1).Slice(b * 3, 3);
                    var now = windows.Tick(t).Slice(b * 3, 3);
                    if (now[0] == before[0])
                    {
                        Assert.Equal(before[1] + 1, now[1]);
                        continue;
                    }

                    // A new episode inside the window: the one before was cut by its time limit at its last step.
                    var (length, end) = Mixed[(int)before[0]];
                    Assert.Equal(End.Truncated, end);
                    Assert.Equal(length - 1, before[1]);
                    Assert.Equal([before[0] + 1, 0, 0], now.ToArray());
                    crossings++;
                }
            }
        }

        Assert.True(crossings > 0, "Some windows reach back across a time-limit cut.");
    }

    [Theory]
    [InlineData(TruncationHandling.Bootstrap, 1000)]
    [InlineData(TruncationHandling.Terminal, 1000)]
    [InlineData(TruncationHandling.Terminal, 37)]
    public void InFlightWindowsGiveTheActorTheInputsItActedOnWithTheActionInFlight(TruncationHandling handling, int capacity)
    {
        // One observation float and two past actions, as an acting loop writes them: the stored (critic's) input of step
        // t is c_t = [o_t; a_(t-2), a_(t-1)], the delayed actor ticked on x_t = [o_t; a_(t-1), a_t], and an episode end
        // stores [o_end; a_(t-1), a_t]; a new episode starts with an empty history.
        var buffer = new SequenceReplayBuffer(capacity, 3, 1, Window, handling);
        var acted = new Dictionary<long, float[]>();
        var random = new SeededRandom(3);
        long row = 0;
        foreach (var (length, end) in Mixed)
        {
            var (older, last) = (0f, 0f);
            for (var s = 0; s < length; s++)
            {
                var (observation, action) = (random.NextFloat(), 1 + random.NextInt(4));
                acted[row] = [observation, last, action];
                var ended = s == length - 1;
                buffer.Add([observation, older, last], [action], 0f, ended && end == End.Terminated, ended && end == End.Truncated, [random.NextFloat(), last, action]);
                (older, last) = (last, action);
                row += ended ? 2 : 1;
            }
        }

        var windows = new ReplayWindows(64, Window, 3, 1, inFlightObservationSize: 1);
        var crossings = 0;
        for (var round = 0; round < 20; round++)
        {
            buffer.Sample(random, windows);
            for (var b = 0; b < windows.Batch; b++)
            {
                for (var t = 0; t < Window; t++)
                {
                    var at = windows.Rows[(t * windows.Batch) + b];
                    Assert.Equal(acted[at], windows.ActorInputs.AsSpan(((t * windows.Batch) + b) * 3, 3).ToArray());
                    Assert.Equal(acted[at][0], windows.Tick(t)[b * 3]);
                    crossings += t > 0 && windows.Rows[((t - 1) * windows.Batch) + b] != at - 1 ? 1 : 0;
                }
            }
        }

        Assert.Equal(handling == TruncationHandling.Terminal, crossings > 0);

        // Without the in-flight window the actor replays the stored inputs themselves.
        var plain = new ReplayWindows(2, Window, 3, 1);
        Assert.Same(plain.Inputs, plain.ActorInputs);
    }

    [Fact]
    public void TheRingSamplesOnlyRowsItStillHolds()
    {
        var buffer = Fill(TruncationHandling.Bootstrap, [.. Enumerable.Repeat((17, End.Terminated), 20)], capacity: 50);
        var windows = new ReplayWindows(128, Window, 3, 1);
        buffer.Sample(new SeededRandom(1), windows);
        var oldest = buffer.RowsWritten - buffer.Capacity;
        Assert.All(windows.Rows, row => Assert.InRange(row, oldest, buffer.RowsWritten - 1));
        Assert.All(Enumerable.Range(0, windows.Batch), b => Assert.True(windows.Tick(0)[b * 3] >= 17, "Only the last episodes are still held."));
    }

    [Fact]
    public void TooFewRowsForAWindowIsAnError()
    {
        var windows = new ReplayWindows(2, Window, 3, 1);
        var empty = new SequenceReplayBuffer(100, 3, 1, Window, TruncationHandling.Bootstrap);
        Assert.Throws<InvalidOperationException>(() => empty.Sample(new SeededRandom(1), windows));
        var shortEpisodes = Fill(TruncationHandling.Bootstrap, [(2, End.Terminated), (3, End.Terminated), (2, End.Truncated)]);
        var error = Assert.Throws<InvalidOperationException>(() => shortEpisodes.Sample(new SeededRandom(1), windows));
        Assert.Contains("windows of 4 ticks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMillionAntTransitionsFitInWellUnderAGigabyte()
    {
        // Ant at τ = 1: 27 observation floats, 8 action dimensions; each input is stored once, not once per window tick.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var buffer = new SequenceReplayBuffer(1_000_000, 27, 8, Window, TruncationHandling.Bootstrap);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(buffer.Bytes, 100_000_000, 160_000_000);
        Assert.InRange(allocated, buffer.Bytes, buffer.Bytes + 1_000_000);
    }

    [Fact]
    public void ABinaryReplaySamplesTheSameWindowsAsAFloatOneInAQuarterOfTheMemory()
    {
        // MinAtar-like inputs: 0/1 channels and a one-hot history of the last action; episodes of random lengths.
        const int input = 12;
        var floats = new SequenceReplayBuffer(300, input, 1, Window, TruncationHandling.Bootstrap);
        var bytes = new SequenceReplayBuffer(300, input, 1, Window, TruncationHandling.Bootstrap, binaryInputs: true);
        var random = new SeededRandom(7);
        var row = new float[input];
        var final = new float[input];
        for (var step = 0; step < 700; step++)
        {
            for (var i = 0; i < input; i++)
            {
                (row[i], final[i]) = (random.NextInt(2), random.NextInt(2));
            }

            var ended = random.NextInt(15) == 0;
            var terminated = ended && random.NextInt(2) == 0;
            floats.Add(row, [step], step * 0.5f, terminated, ended && !terminated, final);
            bytes.Add(row, [step], step * 0.5f, terminated, ended && !terminated, final);
        }

        Assert.True(bytes.BinaryInputs);
        Assert.False(floats.BinaryInputs);
        var a = new ReplayWindows(32, Window, input, 1, inFlightObservationSize: 9);
        var b = new ReplayWindows(32, Window, input, 1, inFlightObservationSize: 9);
        var (ra, rb) = (new SeededRandom(11), new SeededRandom(11));
        for (var round = 0; round < 5; round++)
        {
            floats.Sample(ra, a);
            bytes.Sample(rb, b);
            Assert.Equal(a.Rows, b.Rows);
            Assert.Equal(a.Inputs, b.Inputs);
            Assert.Equal(a.ActorInputs, b.ActorInputs);
            Assert.Equal(a.Actions, b.Actions);
            Assert.Equal(a.Rewards, b.Rewards);
            Assert.Equal(a.Terminated, b.Terminated);
        }

        Assert.Contains(0f, b.Inputs);
        Assert.Contains(1f, b.Inputs);

        // 100,000 Seaquest inputs (10 × 10 × 10 channels, no history): 400 MB as floats, 100 MB as bytes (minatar-dsac's 1e6: 4 GB and 1 GB).
        var seaquest = new SequenceReplayBuffer(100_000, 1000, 1, 1, TruncationHandling.Bootstrap, binaryInputs: true);
        Assert.InRange(seaquest.Bytes, 100_000_000, 101_000_000);
    }

    [Fact]
    public void ABinaryReplayRefusesAnInputOtherThanZeroOrOne()
    {
        var buffer = new SequenceReplayBuffer(100, 3, 1, Window, TruncationHandling.Bootstrap, binaryInputs: true);
        buffer.Add([0, 1, 1], [0], 0f, false, false, default);
        var error = Assert.Throws<ArgumentException>(() => buffer.Add([0, 0.5f, 1], [0], 0f, false, false, default));
        Assert.Contains("0 and 1 only; value 1 of this one is 0.5", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => buffer.Add([1, 1, 1], [0], 0f, true, false, [2, 0, 0]));
        Assert.Equal(1, buffer.RowsWritten);
    }

    [Theory]
    [InlineData("instant")]
    [InlineData("pipelined")]
    [InlineData("temporal-skip")]
    [InlineData("temporal-skip-aug")]
    public void AReplayedWindowReproducesTheActorsOutputsFromAZeroState(string name)
    {
        var architecture = ArchitectureCatalogue.Build(name, new ArchitectureOptions { ObservationShape = [3], Actions = 2, ContinuousActions = true, Width = 8 });
        var network = new PipelineNetwork(architecture.Graph, new SeededRandom(2));
        var inputSize = architecture.Graph[architecture.Input].OutputSize;
        var outputSize = architecture.Graph[architecture.PolicyHead].OutputSize;
        var length = (architecture.Delays().ReceptiveWindow ?? 0) + 1;
        var buffer = new SequenceReplayBuffer(500, inputSize, 1, length, TruncationHandling.Bootstrap);

        // Each episode runs from a zero pipeline state; the outputs of every stored row are kept by row.
        var outputs = new List<float[]?>();
        var random = new SeededRandom(7);
        var input = new float[inputSize];
        var final = new float[inputSize];
        foreach (var episodeLength in new[] { 11, 6, 14, 9 })
        {
            var executor = new PipelineExecutor(network, 1, architecture.Mode);
            for (var s = 0; s < episodeLength; s++)
            {
                random.FillUniform(input, -1, 1);
                executor.Tick(input);
                outputs.Add(executor.Output(architecture.PolicyHead).ToArray());
                var last = s == episodeLength - 1;
                random.FillUniform(final, -1, 1);
                buffer.Add(input, [0f], 0f, last, false, final);
                if (last)
                {
                    outputs.Add(null);
                }
            }
        }

        var windows = new ReplayWindows(16, length, inputSize, 1);
        buffer.Sample(new SeededRandom(9), windows);
        var unrolled = new UnrolledPipeline(network, architecture.Mode);
        using var tape = new Tape();
        var windowInputs = Tensor.Zeros(new Shape(length * windows.Batch * inputSize));
        windows.Inputs.AsSpan(0, windowInputs.Length).CopyTo(windowInputs.Span);
        var replayed = unrolled.Run(tape, windowInputs, length, UnrolledStart.Zero, target: new UnrolledTarget(architecture.PolicyHead, length - 1))
            .Outputs(architecture.PolicyHead).Value.Span;
        for (var b = 0; b < windows.Batch; b++)
        {
            var acted = outputs[(int)windows.Rows[((length - 1) * windows.Batch) + b]]!;
            for (var k = 0; k < outputSize; k++)
            {
                Assert.Equal(acted[k], replayed[(b * outputSize) + k], 1e-5f);
            }
        }
    }

    [Fact]
    public void ASavedReplayLoadsIntoAFreshBufferThatSamplesTheSameWindows()
    {
        // A ring of 30 rows that has wrapped, so rows and slots differ.
        var buffer = Fill(TruncationHandling.Terminal, Mixed, capacity: 30);
        var checkpoint = new Checkpoint();
        buffer.Save(checkpoint, "replay.");
        using var dir = new PipeRL.Tests.TempDirectory();
        var path = Path.Combine(dir.Path, "replay.ckpt");
        checkpoint.Save(path);

        var loaded = new SequenceReplayBuffer(30, 3, 1, Window, TruncationHandling.Terminal);
        loaded.Load(Checkpoint.Load(path), "replay.");
        Assert.Equal(buffer.RowsWritten, loaded.RowsWritten);
        var (a, b) = (new ReplayWindows(16, Window, 3, 1), new ReplayWindows(16, Window, 3, 1));
        var (randomA, randomB) = (new SeededRandom(9), new SeededRandom(9));
        for (var round = 0; round < 10; round++)
        {
            buffer.Sample(randomA, a);
            loaded.Sample(randomB, b);
            Assert.Equal(a.Inputs, b.Inputs);
            Assert.Equal(a.Rows, b.Rows);
            Assert.Equal(a.Actions, b.Actions);
            Assert.Equal(a.Rewards, b.Rewards);
            Assert.Equal(a.Truncated, b.Truncated);
            Assert.Equal(a.Terminated, b.Terminated);
        }

        var other = new SequenceReplayBuffer(40, 3, 1, Window, TruncationHandling.Terminal);
        Assert.Throws<InvalidDataException>(() => other.Load(Checkpoint.Load(path), "replay."));
    }
}
