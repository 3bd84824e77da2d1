using PipeRL.Tensors.IO;

namespace PipeRL.Agents.Normalization;

/// <summary>
/// Gymnasium's <c>NormalizeObservation</c> with CleanRL's clip, for a batch of envs sharing one
/// <see cref="RunningMeanStd"/>: while training, each tick's observations join the statistics and are then
/// standardised, <c>clip((o − mean) / √(var + 1e-8), ±clip)</c>; at evaluation the statistics stay frozen.
/// </summary>
public sealed class ObservationNormalizer
{
    /// <summary>The checkpoint key of the statistics, in training checkpoints and a run's final parameters alike.</summary>
    public const string CheckpointKey = "observations.statistics";

    /// <summary>Standardises observations of <paramref name="size"/> floats, clipping at <paramref name="clip"/>.</summary>
    public ObservationNormalizer(int size, float clip)
    {
        if (!(clip > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(clip), $"Observation normalisation needs a positive clip, got {clip}.");
        }

        Statistics = new RunningMeanStd(size);
        Clip = clip;
    }

    /// <summary>The running statistics of the observations (saved in checkpoints and the final parameters).</summary>
    public RunningMeanStd Statistics { get; }

    /// <summary>The bound of every standardised value.</summary>
    public float Clip { get; }

    /// <summary>Adds <paramref name="rows"/> observations [rows, size] to the statistics, then writes them standardised.</summary>
    public void Update(ReadOnlySpan<float> observations, int rows, Span<float> normalized)
    {
        Statistics.Update(observations, rows);
        Statistics.Normalize(observations, normalized, Clip);
    }

    /// <summary>Writes observations standardised by the statistics as they stand (evaluation, a final observation).</summary>
    public void Normalize(ReadOnlySpan<float> observations, Span<float> normalized) => Statistics.Normalize(observations, normalized, Clip);

    /// <summary>Stores the statistics in <paramref name="checkpoint"/> under <see cref="CheckpointKey"/>.</summary>
    public void Save(Checkpoint checkpoint) => Statistics.Save(checkpoint, CheckpointKey);

    /// <summary>Restores the statistics <see cref="Save"/> stored; a checkpoint without them is an <see cref="InvalidDataException"/>.</summary>
    public void Load(Checkpoint checkpoint) => Statistics.Load(checkpoint, CheckpointKey);
}
