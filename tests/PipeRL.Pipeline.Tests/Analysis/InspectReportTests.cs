using PipeRL.Pipeline.Analysis;
using PipeRL.Pipeline.Catalogue;

namespace PipeRL.Pipeline.Tests.Analysis;

public sealed class InspectReportTests
{
    [Fact]
    public void ReportListsLayersParametersSameTickWiringAndDelays()
    {
        var arch = ArchitectureCatalogue.Build("cnn-skipres", new ArchitectureOptions { ObservationShape = [10, 10, 4], Actions = 6 });
        var text = InspectReport.Render(arch.Graph, Tau.Steps(2));

        Assert.Contains("conv2_in    concat", text, StringComparison.Ordinal);
        Assert.Contains("conv1@t-1, conv1@t", text, StringComparison.Ordinal);
        Assert.Contains("Same-tick: conv2_in reads conv1 from the same tick", text, StringComparison.Ordinal);
        Assert.Contains("minimum delay     2 ticks = 4 env steps", text, StringComparison.Ordinal);
        Assert.Contains("receptive window  5 ticks = 10 env steps", text, StringComparison.Ordinal);
        Assert.Contains($"total parameters: {arch.Graph.ParameterCount:N0}", text, StringComparison.Ordinal);
        Assert.Contains("obs -> conv1 -> conv2 -> conv3 => fc1 => policy", text, StringComparison.Ordinal);
    }

    [Fact]
    public void InstantReportHasZeroDelay()
    {
        var arch = ArchitectureCatalogue.Build("instant", new ArchitectureOptions { ObservationShape = [4], Actions = 2 });
        var text = InspectReport.Render(arch.Graph, Tau.One, instant: true);

        Assert.Contains("minimum delay     0 ticks = 0 env steps (instant)", text, StringComparison.Ordinal);
    }
}
