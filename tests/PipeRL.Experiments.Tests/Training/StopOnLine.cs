namespace PipeRL.Experiments.Tests.Training;

/// <summary>A console that asks training to stop when a line containing the given text is written.</summary>
internal sealed class StopOnLine(string text, CancellationTokenSource stop) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value?.Contains(text, StringComparison.Ordinal) == true)
        {
            stop.Cancel();
        }
    }
}
