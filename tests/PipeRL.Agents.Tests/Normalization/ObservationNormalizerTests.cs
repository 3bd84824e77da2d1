using PipeRL.Agents.Normalization;
using PipeRL.Tensors.IO;
using PipeRL.Tests;

namespace PipeRL.Agents.Tests.Normalization;

public sealed class ObservationNormalizerTests
{
    [Fact]
    public void ATicksObservationsJoinTheStatisticsBeforeTheyAreStandardised()
    {
        // Rows (1, 10) and (3, 30): mean (2, 20), variance (1, 100) up to the 1e-4 prior, so each row is one std from the mean.
        var normalizer = new ObservationNormalizer(2, 3f);
        var z = new float[4];
        normalizer.Update([1f, 10f, 3f, 30f], 2, z);
        Assert.Equal([-1f, -1f, 1f, 1f], z.Select(v => MathF.Round(v, 3)));

        // Frozen: evaluation standardises (and clips at 3) without adding to the statistics.
        normalizer.Normalize([2f, 1000f], z.AsSpan(0, 2));
        Assert.Equal(0f, z[0], 3);
        Assert.Equal(3f, z[1]);
        Assert.Equal(2.0001, normalizer.Statistics.Count, 6);
    }

    [Fact]
    public void StatisticsRoundTripThroughACheckpointFileBitForBit()
    {
        var stats = new RunningMeanStd(3);
        stats.Update([0.1f, -2f, 7f, 0.3f, 5f, -1f], 2);
        var checkpoint = new Checkpoint();
        stats.Save(checkpoint, "obs");
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "stats.ckpt");
        checkpoint.Save(path);

        var loaded = new RunningMeanStd(3);
        loaded.Load(Checkpoint.Load(path), "obs");
        Assert.Equal(stats.ToArray(), loaded.ToArray());
        Assert.Throws<InvalidDataException>(() => loaded.Load(checkpoint, "rewards"));
        Assert.Throws<InvalidDataException>(() => new RunningMeanStd(2).Load(checkpoint, "obs"));
    }
}
