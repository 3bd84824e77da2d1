using PipeRL.Experiments.Training;

namespace PipeRL.Experiments.Tests.Training;

public sealed class PrefixedWriterTests
{
    [Fact]
    public void EveryLineGetsThePrefix()
    {
        using var inner = new StringWriter { NewLine = "\n" };
        using (var w = new PrefixedWriter(inner, "[a] ", new object()))
        {
            w.WriteLine("one");
            w.Write("two ");
            w.WriteLine("three");
        }

        Assert.Equal("[a] one\n[a] two three\n", inner.ToString());
    }
}
