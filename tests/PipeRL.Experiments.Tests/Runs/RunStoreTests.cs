using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Runs;

public sealed class RunStoreTests
{
    [Fact]
    public void CreateNeverReusesAnExistingFolder()
    {
        using var dir = new TempDirectory();
        var store = new RunStore(dir.Path);
        Assert.Equal("r", store.Create("r").Name);
        Assert.Equal("r-2", store.Create("r").Name);
        Assert.Equal("r-3", store.Create("r").Name);
    }

    [Fact]
    public void OpenFindsARunByNameOrPathAndRejectsOthers()
    {
        using var dir = new TempDirectory();
        var store = new RunStore(dir.Path);
        var run = store.Create("cp");
        run.WriteConfig(new TrainConfig { Env = "classic/cartpole" });
        Assert.Equal(run.Path, store.Open("cp").Path);
        Assert.Equal(run.Path, store.Open(run.Path).Path);
        Assert.Equal("classic/cartpole", store.Open("cp").ReadConfig().Env);
        var ex = Assert.Throws<UserInputException>(() => store.Open("nope"));
        Assert.Contains("config.json", ex.Message, StringComparison.Ordinal);
    }
}
