namespace PipeRL.Pipeline.Graph;

/// <summary>What a layer of a <see cref="PipelineGraph"/> computes.</summary>
public enum LayerKind
{
    /// <summary>A graph input: the (possibly augmented) observation of the current tick.</summary>
    Input,

    /// <summary>A fully connected layer <c>y = W x + b</c> with an optional fused activation.</summary>
    Dense,

    /// <summary>A 2-D convolution over an [H, W, C] input with an optional fused activation.</summary>
    Conv2d,

    /// <summary>An LSTM cell whose (h, c) state recurs from the previous tick; its value is h.</summary>
    LstmCell,

    /// <summary>An element-wise activation (wiring, no parameters).</summary>
    Activation,

    /// <summary>Concatenation along the last axis: features of vectors, channels of [H, W, C] images.</summary>
    Concat,

    /// <summary>Element-wise sum of inputs of equal shape.</summary>
    Add,

    /// <summary>Multiplication by a constant factor.</summary>
    Scale,

    /// <summary>Flattens any shape to a vector (row-major).</summary>
    Flatten,

    /// <summary>Gives a vector a new shape with the same number of elements.</summary>
    Reshape,

    /// <summary>A contiguous range of a vector.</summary>
    Slice,

    /// <summary>A dense head producing the logits of a categorical policy.</summary>
    CategoricalHead,

    /// <summary>A dense head producing the mean and raw log-std of a diagonal Gaussian policy ([mean; log-std]).</summary>
    GaussianHead,

    /// <summary>A dense head producing one state value.</summary>
    ValueHead,

    /// <summary>2-D max or average pooling of an [H, W, C] input over k×k windows with stride k (wiring, no parameters).</summary>
    Pool,
}
