namespace PipeRL.Pipeline.Graph;

/// <summary>An element-wise non-linearity.</summary>
public enum Activation
{
    /// <summary>The identity.</summary>
    None,

    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>1 / (1 + exp(−x)).</summary>
    Sigmoid,
}
