using PipeRL.Envs.MuJoCo;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.Tests.MuJoCo;

/// <summary>Skips a test with the binding's own message when libmujoco 2.2.2 cannot be loaded here.</summary>
internal static class MuJoCoAvailability
{
    private static readonly Lazy<string?> Problem = new(Probe);

    /// <summary>The loaded library; skips the calling test when it is unavailable.</summary>
    public static MjLibrary Require()
    {
        Skip.If(Problem.Value is not null, $"MuJoCo tests skipped: {Problem.Value}");
        return MjLibrary.Instance;
    }

    private static string? Probe()
    {
        try
        {
            _ = MjLibrary.Instance;
            return null;
        }
        catch (MuJoCoUnavailableException ex)
        {
            return ex.Message;
        }
    }
}
