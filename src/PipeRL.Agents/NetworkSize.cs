namespace PipeRL.Agents;

/// <summary>The width preset of the actor and critic networks.</summary>
public enum NetworkSize
{
    /// <summary>One 3×3 convolution of 16 channels and a dense layer of 128 (MinAtar's original network); MLPs 64-64.</summary>
    Small,

    /// <summary>The authors' network: 3×3 convolutions of 32, 64, 64 channels and a dense layer of 512; MLPs 256-256.</summary>
    Paper,
}
