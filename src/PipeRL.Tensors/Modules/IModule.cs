namespace PipeRL.Tensors;

/// <summary>Something that owns trainable parameters (a layer, a network).</summary>
public interface IModule
{
    /// <summary>The parameters, in a fixed order (optimizers and checkpoints rely on it).</summary>
    IReadOnlyList<Parameter> Parameters { get; }
}
