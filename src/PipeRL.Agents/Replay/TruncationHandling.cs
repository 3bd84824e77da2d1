namespace PipeRL.Agents.Replay;

/// <summary>How an off-policy learner treats an episode cut by a time limit.</summary>
public enum TruncationHandling
{
    /// <summary>
    /// PipeRL's default: the cut transition bootstraps from the observation the episode was cut in, and no replayed
    /// window reaches across the cut.
    /// </summary>
    Bootstrap,

    /// <summary>
    /// The authors' handling: the cut counts as terminal in the target, and replayed windows may reach across it into
    /// the next episode (their buffer flags only terminations), as the running pipeline did.
    /// </summary>
    Terminal,
}
