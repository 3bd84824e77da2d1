namespace PipeRL.Pipeline.Catalogue;

/// <summary>The convolutional torsos of the catalogue for [H, W, C] image observations.</summary>
public enum CnnTorso
{
    /// <summary>The authors' MinAtar actor: 3×3 convs of 32, 64, 64 channels with same padding, then a 512-unit dense layer.</summary>
    MinAtar,

    /// <summary>
    /// The authors' undelayed MinAtar actor (<c>AgentSeparateActorCritic</c>, also their critic's torso): 3×3 convs of 16,
    /// 32, 32 channels with same padding, then a 512-unit dense layer.
    /// </summary>
    MinAtarUndelayed,

    /// <summary>The small MinAtar network: one 3×3 conv of 16 channels without padding, then a 128-unit dense layer.</summary>
    MinAtarSmall,
}
