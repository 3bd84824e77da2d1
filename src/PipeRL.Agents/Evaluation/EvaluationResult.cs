namespace PipeRL.Agents.Evaluation;

/// <summary>The returns of evaluation episodes.</summary>
/// <param name="Greedy">Whether actions were the most probable ones rather than sampled.</param>
/// <param name="Returns">Each episode's raw return.</param>
/// <param name="Truncated">Episodes cut at the evaluation's tick limit.</param>
public sealed record EvaluationResult(bool Greedy, IReadOnlyList<double> Returns, int Truncated)
{
    /// <summary>The mean return.</summary>
    public double Mean => Returns.Count == 0 ? double.NaN : Returns.Average();

    /// <summary>The population standard deviation of the returns.</summary>
    public double Std
    {
        get
        {
            if (Returns.Count == 0)
            {
                return double.NaN;
            }

            var mean = Mean;
            return Math.Sqrt(Returns.Sum(r => (r - mean) * (r - mean)) / Returns.Count);
        }
    }
}
