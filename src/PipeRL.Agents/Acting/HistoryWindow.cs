namespace PipeRL.Agents.Acting;

/// <summary>Which K actions a delayed actor's input carries beside the observation o_t (design section 2, "History augmentation").</summary>
public enum HistoryWindow
{
    /// <summary>
    /// [o_t; a_(t−K+1) … a_t]: the action a_t applied during tick t is final before tick t starts (it comes from the
    /// head's previous value), so the input includes it, the action in flight while the network thinks. An instant
    /// actor has no action in flight: its window ends at a_(t−1).
    /// </summary>
    InFlight,

    /// <summary>[o_t; a_(t−K) … a_(t−1)]: the authors' window, one action short for a delayed actor (facts §2.2).</summary>
    Authors,
}
