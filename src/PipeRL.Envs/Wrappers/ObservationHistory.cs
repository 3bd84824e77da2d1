namespace PipeRL.Envs.Wrappers;

/// <summary>
/// The last K observations stacked, oldest first (the authors' <c>FrameConcat</c>): vectors [n] become [K·n] and
/// images [H, W, C] become [H, W, K·C] (each pixel's channels frame by frame). A new episode fills every slot with
/// its first observation.
/// </summary>
public sealed class ObservationHistory : IEnv, IStatefulEnv
{
    private const int StateVersion = 1;

    private readonly IEnv _env;
    private readonly float[][] _frames;
    private readonly int _channels;
    private int _newest;

    /// <summary>Wraps <paramref name="env"/>, stacking its last <paramref name="length"/> observations.</summary>
    public ObservationHistory(IEnv env, int length)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        _env = env;
        var shape = env.ObservationSpace.Shape;
        var size = env.ObservationSpace.FlatSize;
        _channels = shape[^1];
        _frames = [.. Enumerable.Range(0, length).Select(_ => new float[size])];
        Length = length;
        int[] stacked = [.. shape.Take(shape.Count - 1), _channels * length];
        ObservationSpace = new BoxSpace(stacked, Stack(env.ObservationSpace.Low), Stack(env.ObservationSpace.High));
    }

    /// <summary>K, the number of observations stacked.</summary>
    public int Length { get; }

    /// <inheritdoc/>
    public string Id => _env.Id;

    /// <inheritdoc/>
    public BoxSpace ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace => _env.ActionSpace;

    /// <inheritdoc/>
    public EnvInfo Info => _env.Info;

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null)
    {
        var first = _frames[0];
        _env.Reset(first, seed);
        foreach (var frame in _frames)
        {
            first.CopyTo(frame, 0);
        }

        _newest = 0;
        Write(observation);
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _newest = (_newest + 1) % Length;
        var result = _env.Step(action, _frames[_newest]);
        Write(observation);
        return result;
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader("observation-history", StateVersion);
        foreach (var frame in _frames)
        {
            writer.WriteArray(frame);
        }

        writer.Write(_newest);
        _env.Stateful().WriteState(writer);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader("observation-history", StateVersion);
        foreach (var frame in _frames)
        {
            reader.ReadArray(frame);
        }

        _newest = reader.ReadInt32(0, Length - 1, "a newest frame");
        _env.Stateful().ReadState(reader);
    }

    /// <inheritdoc/>
    public void Dispose() => _env.Dispose();

    private float[] Stack(ReadOnlySpan<float> single)
    {
        var stacked = new float[single.Length * Length];
        for (var k = 0; k < Length; k++)
        {
            Interleave(single, stacked, k);
        }

        return stacked;
    }

    private void Write(Span<float> observation)
    {
        for (var k = 0; k < Length; k++)
        {
            // Slot k (0 = oldest) holds the frame written k steps after the oldest one.
            Interleave(_frames[(_newest + 1 + k) % Length], observation, k);
        }
    }

    private void Interleave(ReadOnlySpan<float> frame, Span<float> stacked, int slot)
    {
        var pixels = frame.Length / _channels;
        var total = _channels * Length;
        for (var p = 0; p < pixels; p++)
        {
            frame.Slice(p * _channels, _channels).CopyTo(stacked.Slice((p * total) + (slot * _channels), _channels));
        }
    }
}
