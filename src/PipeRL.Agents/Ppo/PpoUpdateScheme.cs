namespace PipeRL.Agents.Ppo;

/// <summary>How PPO turns one rollout into gradient steps.</summary>
public enum PpoUpdateScheme
{
    /// <summary>Each epoch splits the envs into chunks; each chunk is replayed with a burn-in and takes one gradient step (batch advantage normalisation).</summary>
    Minibatch,

    /// <summary>The authors' scheme: each epoch replays the whole rollout from instant-forward initial values and takes one full-batch step (per-step advantage normalisation).</summary>
    Paper,
}
