namespace PipeRL.Pipeline.Execution;

/// <summary>
/// What a training window needs from an unrolled run: the acting values of <paramref name="Head"/> on the ticks from
/// <paramref name="FromTick"/> on (the ticks that carry a loss). A layer-major run then computes each layer only on
/// the ticks those values depend on, which changes no value and no gradient of them.
/// </summary>
public sealed record UnrolledTarget(string Head, int FromTick);
