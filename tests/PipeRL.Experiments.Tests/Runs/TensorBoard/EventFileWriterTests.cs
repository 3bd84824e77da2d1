using PipeRL.Experiments.Runs.TensorBoard;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Runs.TensorBoard;

public sealed class EventFileWriterTests
{
    [Fact]
    public void WritesAFileVersionEventThenScalarsStampedByTheClock()
    {
        using var dir = new TempDirectory();
        var clock = new StepClock(1_700_000_000);
        string path;
        using (var w = EventFileWriter.Create(dir.Path, clock))
        {
            w.Scalars(10, ["x"], [1f]);
            w.Scalars(20, ["x", "y"], [2f, 3f]);
            path = w.Path;
        }

        Assert.Equal("events.out.tfevents.1700000000.piperl", Path.GetFileName(path));
        Assert.Equal(path, EventFileWriter.Find(dir.Path));
        var events = EventFileWriter.ReadAll(path);
        Assert.Equal([EventProto.FileVersionText, null, null], events.Select(e => e.FileVersion));
        Assert.Equal([0L, 10, 20], events.Select(e => e.Step));
        Assert.Equal([1_700_000_000.0, 1_700_000_001.5, 1_700_000_003.0], events.Select(e => e.WallTime));
        Assert.Equal([new("x", 2f), new("y", 3f)], events[2].Scalars);
    }

    [Fact]
    public void ContinueDropsLaterEventsAndATornRecord()
    {
        using var dir = new TempDirectory();
        string path;
        using (var w = EventFileWriter.Create(dir.Path, new StepClock(100)))
        {
            w.Scalars(10, ["x"], [1f]);
            w.Scalars(20, ["x"], [2f]);
            w.Scalars(30, ["x"], [3f]);
            path = w.Path;
        }

        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write([0x40, 0x00, 0x00]);
        }

        using (var w = EventFileWriter.Continue(dir.Path, 20, new StepClock(200)))
        {
            w.Scalars(25, ["x"], [9f]);
        }

        var events = EventFileWriter.ReadAll(path);
        Assert.Equal([0L, 10, 20, 25], events.Select(e => e.Step));
        Assert.Equal(9f, events[^1].Scalars[0].Value);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ContinueStartsAFileWhereThereIsNone()
    {
        using var dir = new TempDirectory();
        using (var w = EventFileWriter.Continue(dir.Path, 50, new StepClock(5)))
        {
            w.Scalars(60, ["x"], [1f]);
        }

        Assert.Equal([0L, 60], EventFileWriter.ReadAll(EventFileWriter.Find(dir.Path)!).Select(e => e.Step));
    }

    /// <summary>A clock that starts at <paramref name="start"/> Unix seconds and moves 1.5 s on every reading after the first.</summary>
    private sealed class StepClock(long start) : TimeProvider
    {
        private int _readings;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(start).AddSeconds(1.5 * _readings++);
    }
}
