using PipeRL.Pipeline.Analysis;

namespace PipeRL.Cli.Commands;

/// <summary>The <c>--tau</c> value of <c>train</c> and <c>inspect</c>: k, 1/m, or a decimal whose inverse is a whole number.</summary>
internal static class TauOption
{
    /// <summary>Parses <paramref name="text"/>; anything else (0, -1, 1/0, 2.5, abc) is a one-line usage error.</summary>
    public static Tau Parse(string text)
    {
        try
        {
            return Tau.Parse(text);
        }
        catch (FormatException ex)
        {
            throw UsageException.From(ex);
        }
    }
}
