namespace PipeRL.Agents.Sac;

/// <summary>What SAC's latest updates report.</summary>
/// <param name="QLoss">The critics' loss, mse(Q₁, y) + mse(Q₂, y), of the latest critic update.</param>
/// <param name="QValue">The mean of Q₁ over that update's batch.</param>
/// <param name="ActorLoss">The actor's loss of the latest actor update.</param>
/// <param name="Alpha">The temperature after the latest update.</param>
/// <param name="AlphaLoss">The temperature's loss of the latest update (0 when not tuned).</param>
/// <param name="Entropy">The mean of −log π over the latest actor update's batch.</param>
public readonly record struct SacUpdateStats(double QLoss, double QValue, double ActorLoss, double Alpha, double AlphaLoss, double Entropy);
