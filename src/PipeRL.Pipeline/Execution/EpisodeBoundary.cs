namespace PipeRL.Pipeline.Execution;

/// <summary>What a running pipeline does with its layer values when an env's episode ends.</summary>
public enum EpisodeBoundary
{
    /// <summary>The values carry over into the next episode (the authors' code, and a physical pipeline).</summary>
    Carry,

    /// <summary>The env's layer values (and LSTM cells) are set to zero.</summary>
    Reset,
}
