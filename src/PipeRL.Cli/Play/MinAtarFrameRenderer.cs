using System.Text;
using PipeRL.Envs.MinAtar;

namespace PipeRL.Cli.Play;

/// <summary>Draws a MinAtar observation as a 10×10 grid of ANSI-coloured cells, one colour per channel, with a legend.</summary>
internal sealed class MinAtarFrameRenderer
{
    private const string Reset = "\u001b[0m";

    // 256-colour indices for channels in order; trail channels are drawn grey and below everything else.
    private static readonly int[] Palette = [226, 196, 33, 46, 201, 208, 51, 231, 141, 130];
    private const int TrailColour = 240;

    private readonly IReadOnlyList<string> _channelNames;
    private readonly int[] _drawOrder;
    private readonly UInt128[] _planes;

    /// <summary>Creates a renderer for a game with channels named <paramref name="channelNames"/>.</summary>
    public MinAtarFrameRenderer(IReadOnlyList<string> channelNames)
    {
        _channelNames = channelNames;
        _planes = new UInt128[channelNames.Count];

        // A cell shows its lowest-index channel, trails last, so objects hide the trails that cross them.
        _drawOrder = [.. Enumerable.Range(0, channelNames.Count).OrderBy(c => IsTrail(c) ? 1 : 0).ThenBy(c => c)];
    }

    /// <summary>The colour legend: a swatch and the name of every channel.</summary>
    public string Legend()
    {
        var text = new StringBuilder();
        for (var c = 0; c < _channelNames.Count; c++)
        {
            text.Append(c == 0 ? string.Empty : "  ").Append(Swatch(ColourOf(c))).Append(' ').Append(_channelNames[c]);
        }

        return text.ToString();
    }

    /// <summary>Appends the grid of <paramref name="environment"/>'s current state to <paramref name="text"/>, framed, one line per row.</summary>
    public void AppendGrid(StringBuilder text, MinAtarEnvironment environment)
    {
        environment.WriteBoards(_planes);
        text.Append('+').Append('-', 2 * MinAtarBoard.Size).Append("+\n");
        for (var row = 0; row < MinAtarBoard.Size; row++)
        {
            text.Append('|');
            for (var col = 0; col < MinAtarBoard.Size; col++)
            {
                var channel = ChannelAt(row, col);
                text.Append(channel < 0 ? "  " : Swatch(ColourOf(channel)));
            }

            text.Append("|\n");
        }

        text.Append('+').Append('-', 2 * MinAtarBoard.Size).Append("+\n");
    }

    private static string Swatch(int colour) => $"\u001b[48;5;{colour}m  {Reset}";

    private int ChannelAt(int row, int col)
    {
        foreach (var channel in _drawOrder)
        {
            if (MinAtarBoard.Has(_planes[channel], row, col))
            {
                return channel;
            }
        }

        return -1;
    }

    private int ColourOf(int channel) => IsTrail(channel) ? TrailColour : Palette[channel % Palette.Length];

    private bool IsTrail(int channel) => _channelNames[channel] == "trail";
}
