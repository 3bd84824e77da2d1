namespace PipeRL.Pipeline.Tests.Execution;

public sealed class PipelineNetworkTests
{
    [Theory]
    [MemberData(nameof(Catalogue))]
    public void ParametersMatchTheGraphsCount(string name, bool image)
    {
        var arch = Nets.Build(name, image);
        var network = Nets.Network(arch);

        Assert.Equal(arch.Graph.ParameterCount, network.Parameters.Sum(p => (long)p.Value.Length));
    }

    public static IEnumerable<object[]> Catalogue() => Nets.Catalogue();

    [Fact]
    public void SameSeedGivesSameParameters()
    {
        var arch = Nets.Build("temporal-skip", image: true);
        var a = Nets.Network(arch, 3);
        var b = Nets.Network(arch, 3);
        var c = Nets.Network(arch, 4);

        Assert.Equal(a.ParametersOf("fc1")[0].Value.Span.ToArray(), b.ParametersOf("fc1")[0].Value.Span.ToArray());
        Assert.NotEqual(a.ParametersOf("fc1")[0].Value.Span.ToArray(), c.ParametersOf("fc1")[0].Value.Span.ToArray());
        Assert.Empty(a.ParametersOf("policy_in"));
    }
}
