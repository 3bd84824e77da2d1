using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Tests.Catalogue;

public sealed class ArchitectureCatalogueTests
{
    private const int Obs = 17;
    private const int Act = 6;

    private static Architecture Mlp(string name, int layers = 2, bool toHead = false, int? history = null) =>
        ArchitectureCatalogue.Build(name, new ArchitectureOptions
        {
            ObservationShape = [Obs],
            Actions = Act,
            ContinuousActions = true,
            HiddenLayers = layers,
            ObservationToHead = toHead,
            HistoryLength = history,
        });

    private static Architecture MinAtar(string name, int channels = 4, CnnTorso torso = CnnTorso.MinAtar, int? history = null) =>
        ArchitectureCatalogue.Build(name, new ArchitectureOptions
        {
            ObservationShape = [10, 10, channels],
            Actions = Act,
            Cnn = torso,
            HistoryLength = history,
        });

    private static long Linear(long input, long output) => (input * output) + output;

    private static long Conv(long input, long output) => (input * output * 9) + output;

    [Fact]
    public void AuthorsMuJoCoActorSlowHasTheirParameterCount()
    {
        var arch = Mlp("pipelined");

        Assert.Equal(Linear(Obs, 256) + Linear(256, 256) + (2 * Linear(256, Act)), arch.Graph.ParameterCount);
        Assert.Equal(3, arch.Delays().MinimumDelay);
        Assert.Equal(ExecutionMode.Pipelined, arch.Mode);
    }

    [Fact]
    public void InstantIsThePlainGraphWithZeroDelay()
    {
        var arch = Mlp("instant");

        Assert.Equal(Mlp("pipelined").Graph.ParameterCount, arch.Graph.ParameterCount);
        Assert.Equal(ExecutionMode.Instant, arch.Mode);
        Assert.Equal(0, arch.Delays().MinimumDelay);
        Assert.Equal(0, arch.Delays().ReceptiveWindow);
    }

    [Fact]
    public void TemporalSkipIsActorSlowConcat()
    {
        var arch = Mlp("temporal-skip");

        Assert.Equal([Obs + 256], arch.Graph["fc2_in"].OutputShape);
        Assert.Equal([Obs + 256], arch.Graph["policy_in"].OutputShape);
        Assert.Equal(Linear(Obs, 256) + Linear(Obs + 256, 256) + (2 * Linear(Obs + 256, Act)), arch.Graph.ParameterCount);
        Assert.Equal(1, arch.Delays().MinimumDelay);
        Assert.Equal(3, arch.Delays().ReceptiveWindow);
    }

    [Fact]
    public void TemporalSkipAugAppendsTwoActionsForMlpsAsTheAuthors()
    {
        var arch = Mlp("temporal-skip-aug");

        Assert.Equal(2, arch.HistoryLength);
        Assert.Equal([Obs + (2 * Act)], arch.Graph["obs"].OutputShape);
        Assert.Equal(1, arch.Delays().MinimumDelay);
    }

    [Fact]
    public void HiddenToHeadFollowsTheDesignAndTheAuthorsVariantAddsTheObservation()
    {
        var design = Mlp("hidden-to-head");
        var authors = Mlp("hidden-to-head", toHead: true);

        Assert.Equal([512], design.Graph["policy_in"].OutputShape);
        Assert.Equal(2, design.Delays().MinimumDelay);
        Assert.Equal([Obs + 512], authors.Graph["policy_in"].OutputShape);
        Assert.Equal(1, authors.Delays().MinimumDelay);
        Assert.Equal(3, authors.Delays().ReceptiveWindow);
    }

    [Fact]
    public void ResidualIsActorSlowResSkip()
    {
        var arch = Mlp("residual", layers: 3);
        var graph = arch.Graph;

        // h1 = g1/sqrt2; h_i = (g_i + g_(i-1))/sqrt2 within the tick; g_i reads h_(i-1) of the previous tick.
        Assert.Equal(LayerKind.Scale, graph["fc1_res"].Kind);
        Assert.Equal(LayerKind.Add, graph["fc2_sum"].Kind);
        Assert.All(graph["fc2_sum"].Inputs, e => Assert.Equal(TickTiming.SameTick, e.Timing));
        Assert.Equal(TickTiming.PreviousTick, graph["fc2"].Inputs[0].Timing);
        Assert.Equal("fc1_res", graph.Layers[graph["fc2"].Inputs[0].Source].Name);
        Assert.Equal([Obs + (3 * 256)], graph["policy_in"].OutputShape);
        Assert.Equal(1, arch.Delays().MinimumDelay);
        Assert.Equal([1, 2, 3, 4], arch.Delays().Delays);
    }

    [Fact]
    public void LstmReplacesTheLaterHiddenLayers()
    {
        var arch = Mlp("lstm");

        Assert.Equal(LayerKind.LstmCell, arch.Graph["lstm2"].Kind);
        Assert.Equal(3, arch.Delays().MinimumDelay);
        Assert.Null(arch.Delays().ReceptiveWindow);
        Assert.Throws<ArgumentException>(() => Mlp("lstm", layers: 1));
    }

    [Fact]
    public void AuthorsMinAtarActorSlowPpoHasFiveStages()
    {
        var arch = MinAtar("pipelined");

        Assert.Equal(Conv(4, 32) + Conv(32, 64) + Conv(64, 64) + Linear(6400, 512) + Linear(512, Act), arch.Graph.ParameterCount);
        Assert.Equal(5, arch.Delays().MinimumDelay);
        Assert.Equal(5, arch.Delays().ReceptiveWindow);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(10)]
    public void CnnSkipResFc1ReadsHundredCPlus16000(int channels)
    {
        var arch = MinAtar("cnn-skipres", channels);
        var graph = arch.Graph;

        Assert.Equal([(100 * channels) + 16000], graph["skip"].OutputShape);
        Assert.Equal([10, 10, 64], graph["conv2_in"].OutputShape);
        Assert.Equal([10, 10, 128], graph["conv3_in"].OutputShape);
        Assert.Equal(Conv(channels, 32) + Conv(64, 64) + Conv(128, 64) + Linear((100 * channels) + 16000, 512) + Linear(512, Act), graph.ParameterCount);
        Assert.True(graph.HasSameTickLayers);
        Assert.Equal(2, arch.Delays().MinimumDelay);
        Assert.Equal([2, 3, 4, 5], arch.Delays().Delays);
    }

    [Fact]
    public void CnnSkipResWithLastActionFeedsBothDenseLayers()
    {
        var graph = MinAtar("cnn-skipres", history: 1).Graph;

        Assert.Equal([400 + Act], graph["obs"].OutputShape);
        Assert.Equal([16400 + Act], graph["fc1_in"].OutputShape);
        Assert.Equal([512 + Act], graph["policy_in"].OutputShape);
    }

    [Fact]
    public void StrictCnnSkipResHasNoSameTickLayers()
    {
        var arch = MinAtar("cnn-skipres-strict");

        Assert.False(arch.Graph.HasSameTickLayers);
        Assert.Equal([10, 10, 32], arch.Graph.Layers[arch.Graph["conv2"].Inputs[0].Source].OutputShape);
        Assert.Equal(2, arch.Delays().MinimumDelay);
        Assert.Equal(5, arch.Delays().ReceptiveWindow);
    }

    [Fact]
    public void SmallMinAtarNetIsOneConvAndOneDenseLayer()
    {
        var arch = MinAtar("pipelined", channels: 6, torso: CnnTorso.MinAtarSmall);

        Assert.Equal([1024], arch.Graph["conv_flat"].OutputShape);
        Assert.Equal(Conv(6, 16) + Linear(1024, 128) + Linear(128, Act), arch.Graph.ParameterCount);
        Assert.Equal(3, arch.Delays().MinimumDelay);
    }

    [Fact]
    public void CnnTemporalSkipReachesTheHeadInOneTick()
    {
        var arch = MinAtar("temporal-skip");

        Assert.Equal([10, 10, 36], arch.Graph["conv2_in"].OutputShape);
        Assert.Equal([400 + 512], arch.Graph["policy_in"].OutputShape);
        Assert.Equal(1, arch.Delays().MinimumDelay);
        Assert.Equal(5, arch.Delays().ReceptiveWindow);
    }

    [Fact]
    public void CnnLstmIsAuthorsLstmCellOverTheConvs()
    {
        var arch = MinAtar("lstm");

        Assert.Equal((4L * 512 * (6400 + 512)) + (8 * 512), arch.Graph["lstm1"].ParameterCount);
        Assert.Equal(5, arch.Delays().MinimumDelay);
    }

    [Fact]
    public void EveryArchitectureBuildsForBothTorsosWhereItApplies()
    {
        foreach (var name in ArchitectureCatalogue.Names)
        {
            var cnn = MinAtar(name);
            Assert.Equal(ArchitectureCatalogue.PolicyName, cnn.Graph.Layers[cnn.Graph.Heads[0]].Name);
            if (!name.StartsWith("cnn-", StringComparison.Ordinal))
            {
                Assert.True(Mlp(name).Graph.ParameterCount > 0);
            }
        }
    }

    [Fact]
    public void UnknownNamesAndImpossibleOptionsAreRejected()
    {
        var unknown = Assert.Throws<ArgumentException>(() => Mlp("resnet"));
        Assert.Contains("temporal-skip", unknown.Message, StringComparison.Ordinal);
        var cnnOnly = Assert.Throws<ArgumentException>(() => Mlp("cnn-skipres"));
        Assert.Contains("image observation", cnnOnly.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Mlp("temporal-skip-aug", history: 0));
        Assert.Throws<ArgumentException>(() => ArchitectureCatalogue.Build("pipelined", new ArchitectureOptions { ObservationShape = [3, 4], Actions = 2 }));
    }

    [Fact]
    public void CatalogueGraphsRoundTripThroughJson()
    {
        var graph = MinAtar("cnn-skipres", history: 1).Graph;
        var again = GraphJson.Parse(GraphJson.Write(graph));

        Assert.Equal(graph.ParameterCount, again.ParameterCount);
        Assert.True(again.HasSameTickLayers);
    }

    [Fact]
    public void CriticIsATanhMlpOrTheCnnTorsoWithTheHistoryBesideItsFeatures()
    {
        var mlp = ArchitectureCatalogue.Critic(new ArchitectureOptions { ObservationShape = [Obs], Actions = Act, Width = 64, HistoryLength = 2 });
        Assert.Equal(Linear(Obs + (2 * Act), 64) + Linear(64, 64) + Linear(64, 1), mlp.ParameterCount);
        Assert.All(new[] { "fc1", "fc2" }, name => Assert.Equal(Activation.Tanh, mlp[name].Spec.Activation));
        Assert.Equal(LayerKind.ValueHead, mlp[ArchitectureCatalogue.ValueName].Kind);

        // The authors' critic torso (16-32-32 same-padded, 512), the last action beside the flat features of fc1 and the value.
        var cnn = ArchitectureCatalogue.Critic(new ArchitectureOptions { ObservationShape = [10, 10, 4], Actions = Act, Cnn = CnnTorso.MinAtarUndelayed, HistoryLength = 1 });
        Assert.Equal(400 + Act, cnn[ArchitectureCatalogue.InputName].OutputSize);
        Assert.Equal(Conv(4, 16) + Conv(16, 32) + Conv(32, 32) + Linear((3200 + Act), 512) + Linear(512 + Act, 1), cnn.ParameterCount);
        Assert.Equal(Conv(4, 16) + Linear(8 * 8 * 16, 128) + Linear(128, 1), ArchitectureCatalogue.Critic(new ArchitectureOptions { ObservationShape = [10, 10, 4], Actions = Act, Cnn = CnnTorso.MinAtarSmall }).ParameterCount);
    }
}
