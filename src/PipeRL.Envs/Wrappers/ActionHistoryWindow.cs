namespace PipeRL.Envs.Wrappers;

/// <summary>Which actions a <see cref="LastActions"/> observation lists.</summary>
public enum ActionHistoryWindow
{
    /// <summary>
    /// The last K actions up to the one the current tick will apply (PipeRL's default, the textbook augmentation for a
    /// pipeline): each step's action is the one the agent just decided, applied one step later by the wrapper.
    /// </summary>
    IncludingPending,

    /// <summary>The last K actions already applied (the authors' <c>LastActionWrapper</c>; one action short for a pipeline).</summary>
    Authors,
}
