using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Tests.Execution;

public sealed class TickCostModelTests
{
    [Fact]
    public void AnObservationIsDenseAReluHalfZeroAndAConcatTheMixOfItsParts()
    {
        // policy_in = [obs (17), fc1 (256), fc2 (256)]: (17 + 0.5 * 512) / 529 nonzero.
        var graph = ArchitectureCatalogue.Build("hidden-to-head", new ArchitectureOptions { ObservationShape = [17], Actions = 6, ObservationToHead = true }).Graph;

        Assert.Equal(1.0, TickCostModel.InputDensity(graph, graph["fc1"].Index));
        Assert.Equal(0.5, TickCostModel.InputDensity(graph, graph["fc2"].Index));
        Assert.Equal((17 + (0.5 * 512)) / 529, TickCostModel.InputDensity(graph, graph["policy"].Index), 12);
    }

    [Fact]
    public void TheFirstLayerReadingADenseObservationIsEstimatedAtTwiceAReluFedOne()
    {
        var network = new PipelineNetwork(
            ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [1024], Actions = 1024, HiddenLayers = 3, Width = 1024 }).Graph,
            new SeededRandom(3));
        var plan = new TickPlan(network.Graph, ExecutionMode.Pipelined);
        var first = TickCostModel.LayerNs(network, plan, network.Graph["fc1"].Index, 1, sparse: true);
        var second = TickCostModel.LayerNs(network, plan, network.Graph["fc2"].Index, 1, sparse: true);

        Assert.InRange(first / second, 1.9, 2.0);
    }

    [Fact]
    public void FourLayersWhoseFirstCostsTwiceTheOthersAreSharedAndEightGoWhole()
    {
        // Whole layers could only give one thread 3 of the 5 units of four; eight balance at 5 of 9, within the share margin.
        using var pool = new WorkerPool(2);
        PipelineNetwork Mlp(int layers) => new(
            ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [1024], Actions = 1024, HiddenLayers = layers - 1, Width = 1024 }).Graph,
            new SeededRandom(3));

        var four = Assert.Single(new PipelineExecutor(Mlp(4), 1, workers: pool).Schedule.Waves);
        var eight = Assert.Single(new PipelineExecutor(Mlp(8), 1, workers: pool).Schedule.Waves);

        Assert.Equal(WaveSplit.Shares, four.Split);
        Assert.Equal(["fc1 1/2", "fc2 1/2", "fc3 1/2", "policy 1/2"], four.Threads[0]);
        Assert.Equal(WaveSplit.WholeLayers, eight.Split);
        Assert.Equal(["fc1", "fc2", "fc3", "fc4"], eight.Threads[0]);
    }
}
