using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo.Models;

/// <summary>PipeRL's own MJCF models of the four locomotion tasks, embedded in the assembly.</summary>
internal static class MuJoCoModels
{
    /// <summary>Hopper-v4's model.</summary>
    public const string Hopper = "hopper.xml";

    /// <summary>Walker2d-v4's model.</summary>
    public const string Walker2d = "walker2d.xml";

    /// <summary>HalfCheetah-v4's model.</summary>
    public const string HalfCheetah = "half_cheetah.xml";

    /// <summary>Ant-v4's model.</summary>
    public const string Ant = "ant.xml";

    /// <summary>Every embedded model file name.</summary>
    public static IReadOnlyList<string> All { get; } = [Hopper, Walker2d, HalfCheetah, Ant];

    /// <summary>The MJCF text of <paramref name="fileName"/> as UTF-8 bytes.</summary>
    public static byte[] Text(string fileName)
    {
        var resource = $"{typeof(MuJoCoModels).Namespace}.{fileName}";
        using var stream = typeof(MuJoCoModels).Assembly.GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"No embedded MuJoCo model '{fileName}'; known: {string.Join(", ", All)}.", nameof(fileName));
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Compiles the embedded model <paramref name="fileName"/>.</summary>
    public static MjModel Load(string fileName) => MjModel.LoadXmlText(fileName, Text(fileName));
}
