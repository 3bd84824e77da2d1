namespace PipeRL.Agents.Normalization;

/// <summary>
/// Gymnasium's <c>NormalizeReward</c> as CleanRL's continuous PPO uses it, for a batch of envs: each env's discounted
/// return <c>G ← γ G + r</c> feeds a <see cref="RunningMeanStd"/>, and each reward is divided by that return's
/// standard deviation <c>√(var + 1e-8)</c> and clipped to ±clip; G restarts at every episode end.
/// </summary>
public sealed class RewardNormalizer
{
    private const double VarianceEpsilon = 1e-8;
    private readonly double[] _returns;
    private readonly float[] _returnBatch;
    private readonly float _gamma;
    private readonly float _clip;

    /// <summary>Scales the rewards of <paramref name="numEnvs"/> envs with discount <paramref name="gamma"/>, clipping at <paramref name="clip"/>.</summary>
    public RewardNormalizer(int numEnvs, float gamma, float clip)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numEnvs, 1);
        if (!(gamma is >= 0f and <= 1f) || !(clip > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), $"Reward normalisation needs gamma in [0, 1] and a positive clip, got {gamma} and {clip}.");
        }

        _returns = new double[numEnvs];
        _returnBatch = new float[numEnvs];
        (_gamma, _clip) = (gamma, clip);
        Statistics = new RunningMeanStd(1);
    }

    /// <summary>The running statistics of the discounted returns (saved in checkpoints).</summary>
    public RunningMeanStd Statistics { get; }

    /// <summary>Each env's discounted return of its episode in progress (part of the acting state a checkpoint keeps).</summary>
    public Span<double> Returns => _returns;

    /// <summary>Updates the statistics with one step of every env and writes the scaled, clipped rewards.</summary>
    public void Normalize(ReadOnlySpan<double> rewards, ReadOnlySpan<bool> episodeEnded, Span<float> scaled)
    {
        var n = _returns.Length;
        if (rewards.Length != n || episodeEnded.Length != n || scaled.Length != n)
        {
            throw new ArgumentException($"Reward normalisation takes one reward, end flag and output per env ({n}).", nameof(rewards));
        }

        for (var i = 0; i < n; i++)
        {
            _returns[i] = (_returns[i] * _gamma) + rewards[i];
            _returnBatch[i] = (float)_returns[i];
        }

        Statistics.Update(_returnBatch, n);
        var std = Math.Sqrt(Statistics.Variance[0] + VarianceEpsilon);
        for (var i = 0; i < n; i++)
        {
            scaled[i] = (float)Math.Clamp(rewards[i] / std, -_clip, _clip);
            if (episodeEnded[i])
            {
                _returns[i] = 0;
            }
        }
    }
}
