namespace PipeRL.Pipeline.Graph;

/// <summary>How a pooling layer reduces each window.</summary>
public enum PoolMode
{
    /// <summary>The window's maximum.</summary>
    Max,

    /// <summary>The window's mean.</summary>
    Average,
}
