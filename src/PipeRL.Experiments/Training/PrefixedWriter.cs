using System.Text;

namespace PipeRL.Experiments.Training;

/// <summary>Writes whole lines, each prefixed, to a shared writer under a lock, so parallel runs' lines never mix.</summary>
public sealed class PrefixedWriter(TextWriter inner, string prefix, object gate) : TextWriter
{
    private readonly StringBuilder _line = new();

    /// <inheritdoc/>
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (value == '\n')
        {
            Flush();
            return;
        }

        if (value != '\r')
        {
            _line.Append(value);
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        lock (gate)
        {
            inner.WriteLine(prefix + _line);
            inner.Flush();
        }

        _line.Clear();
    }
}
