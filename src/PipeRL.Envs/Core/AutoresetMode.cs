namespace PipeRL.Envs;

/// <summary>How a vector env starts the next episode of a sub-env whose episode ended (Gymnasium's modes).</summary>
public enum AutoresetMode
{
    /// <summary>The step that ends an episode returns the reset observation; the final one is kept aside.</summary>
    SameStep,

    /// <summary>The step after the one that ended an episode resets it and ignores its action (Gymnasium 1.x default).</summary>
    NextStep,
}
