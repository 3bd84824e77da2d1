using PipeRL.Agents;
using PipeRL.Agents.Networks;
using PipeRL.Envs;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Experiments.Tests.Training;

public sealed class ActorFactoryTests
{
    private static readonly BoxSpace Breakout = new([10, 10, 4], 0f, 1f);

    private static int[] ConvChannels(string arch, NetworkSize size, string algo = Algorithms.Ppo)
    {
        var graph = ActorFactory.Architecture(arch, size, Breakout, new DiscreteSpace(6), algo: algo).Graph;
        return [.. graph.Layers.Where(l => l.Kind == LayerKind.Conv2d).Select(l => l.OutputShape[2])];
    }

    [Fact]
    public void PaperNetworksAreTheAuthorsUndelayedAndDelayedTorsos()
    {
        Assert.Equal([16, 32, 32], ConvChannels("instant", NetworkSize.Paper));
        Assert.Equal([32, 64, 64], ConvChannels("pipelined", NetworkSize.Paper));
        Assert.Equal([32, 64, 64], ConvChannels("temporal-skip-aug", NetworkSize.Paper));
        Assert.Equal([16], ConvChannels("instant", NetworkSize.Small));
        Assert.Equal([16], ConvChannels("pipelined", NetworkSize.Small));
    }

    [Fact]
    public void PaperSacActorsAreAllTheAuthorsSacTorso()
    {
        // Their discrete SAC has no separate undelayed torso: instant is 32-64-64 like the delayed actors and the Q networks.
        Assert.Equal([32, 64, 64], ConvChannels("instant", NetworkSize.Paper, Algorithms.Sac));
        Assert.Equal([32, 64, 64], ConvChannels("temporal-skip-aug", NetworkSize.Paper, Algorithms.Sac));
        Assert.Equal([16], ConvChannels("instant", NetworkSize.Small, Algorithms.Sac));
    }

    [Fact]
    public void PaperInstantActorHasTheCriticsTorso()
    {
        // Their AgentSeparateActorCritic and critic share one torso: 16-32-32 same-padded convs and a 512-unit layer.
        var actor = ActorFactory.Create(ActorFactory.Architecture("instant", NetworkSize.Paper, Breakout, new DiscreteSpace(6)), 1);
        var critic = new ValueNetwork(Breakout.Shape, NetworkSize.Paper, new SeededRandom(1));
        long Count(IEnumerable<Parameter> ps) => ps.Sum(p => (long)p.Value.Length);
        var actorHead = 512 * 6 + 6;
        var criticHead = 512 + 1;
        Assert.Equal(Count(critic.Parameters) - criticHead, Count(actor.Parameters) - actorHead);
    }
}
