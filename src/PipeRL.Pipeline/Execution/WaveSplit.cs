namespace PipeRL.Pipeline.Execution;

/// <summary>How the computing layers of one wave of a tick are spread over threads.</summary>
public enum WaveSplit
{
    /// <summary>All on the calling thread, in order.</summary>
    OneThread,

    /// <summary>Whole layers, each thread always the same ones (one fork per wave).</summary>
    WholeLayers,

    /// <summary>Whole layers and shares of the big ones, each thread always the same (one fork per wave).</summary>
    Shares,

    /// <summary>Each big layer split over the threads in turn (one fork per big layer).</summary>
    EachLayerSplit,
}
