namespace PipeRL.Pipeline.Analysis;

/// <summary>One path from an input to a head: its layers, its delay and the number of computing layers on it.</summary>
/// <param name="Layers">The input and the computing layers on the path, in order (wiring layers are left out).</param>
/// <param name="Lags">For each step between consecutive <paramref name="Layers"/>: the tick boundaries it crosses.</param>
/// <param name="Ticks">The delay in ticks: tick boundaries on the path plus one (the action reads the head's previous value).</param>
/// <param name="ComputingLayers">The number of computing layers (dense, conv, LSTM, head) on the path.</param>
public sealed record DelayPath(IReadOnlyList<string> Layers, IReadOnlyList<int> Lags, int Ticks, int ComputingLayers)
{
    /// <summary>The path as text: <c>-&gt;</c> within a tick, <c>=&gt;</c> across one tick boundary (<c>=n=&gt;</c> across n).</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder(Layers[0]);
        for (var i = 1; i < Layers.Count; i++)
        {
            var arrow = Lags[i - 1] switch
            {
                0 => " -> ",
                1 => " => ",
                var n => $" ={n}=> ",
            };
            text.Append(arrow).Append(Layers[i]);
        }

        return text.ToString();
    }
}
