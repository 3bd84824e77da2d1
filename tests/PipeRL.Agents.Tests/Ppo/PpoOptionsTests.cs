using System.ComponentModel;
using System.Reflection;
using PipeRL.Agents.Ppo;

namespace PipeRL.Agents.Tests.Ppo;

public sealed class PpoOptionsTests
{
    [Fact]
    public void PaperPresetHasTheAuthorsSettings()
    {
        var p = PpoOptions.Paper;
        Assert.Equal((32, 32, 4), (p.NumEnvs, p.NumSteps, p.UpdateEpochs));
        Assert.Equal((2.5e-4f, 0.1f, 0.01f, 0.5f, 0.5f), (p.LearningRate, p.ClipCoef, p.EntropyCoef, p.ValueCoef, p.MaxGradNorm));
        Assert.Equal((0.99f, 0.95f, 1e-5f), (p.Gamma, p.GaeLambda, p.AdamEpsilon));
        Assert.True(p.AnnealLearningRate);
        Assert.Equal(PpoUpdateScheme.Paper, p.UpdateScheme);
        Assert.Equal(NetworkSize.Paper, p.Network);
        Assert.Equal(1024, p.BatchSize);
    }

    [Fact]
    public void EveryHyperparameterIsDocumentedForTheCli()
    {
        var undocumented = typeof(PpoOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<DescriptionAttribute>() is null)
            .Select(p => p.Name);
        Assert.Empty(undocumented);
    }

    [Fact]
    public void ValidateNamesTheBadSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => (PpoOptions.Small with { NumMinibatches = 5 }).Validate());
        Assert.Contains("num-minibatches", ex.Message, StringComparison.Ordinal);
    }
}
