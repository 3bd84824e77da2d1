
namespace PipeRL.Envs.MinAtar;

/// <summary>
/// One MinAtar game: its state and the reference's transition rules. A game plugs in by deriving from this class
/// (name, channels, minimal action set, <see cref="ResetGame"/>, <see cref="StepGame"/>, <see cref="Render"/>) and
/// by one entry in <see cref="MinAtarGames"/>. Every random draw goes through the <see cref="IRandomSource"/>
/// passed to each call, in the reference's order, so one seeded stream reproduces the reference exactly.
/// </summary>
public abstract class MinAtarGame
{
    /// <summary>Creates a game; <paramref name="difficultyRamping"/> is ignored by games without ramping.</summary>
    protected MinAtarGame(bool difficultyRamping) => DifficultyRamping = difficultyRamping;

    /// <summary>The reference's game name, for example <c>breakout</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The observation channels' names, in the reference's index order.</summary>
    public abstract IReadOnlyList<string> ChannelNames { get; }

    /// <summary>The game's minimal action set, as indices into the full six-action set.</summary>
    public abstract IReadOnlyList<int> MinimalActionSet { get; }

    /// <summary>The names of the values <see cref="WriteHiddenState"/> writes (the golden traces' <c>hidden_fields</c>).</summary>
    public virtual IReadOnlyList<string> HiddenFieldNames => [];

    /// <summary>Number of observation channels.</summary>
    public int Channels => ChannelNames.Count;

    /// <summary>Whether difficulty ramping was requested.</summary>
    public bool DifficultyRamping { get; }

    /// <summary>Whether the episode has ended; further acts do nothing until <see cref="Reset"/>.</summary>
    public bool Terminal { get; protected set; }

    /// <summary>The reference's <c>difficulty_ramp()</c>: the ramp index, or null for games without ramping.</summary>
    public virtual int? DifficultyRamp => null;

    /// <summary>Starts a new episode (the reference's <c>reset()</c>).</summary>
    public void Reset(IRandomSource random)
    {
        Terminal = false;
        ResetGame(random);
    }

    /// <summary>Applies one act and returns its reward; an act on a terminal game returns 0 and changes nothing.</summary>
    public int Act(MinAtarAction action, IRandomSource random) => Terminal ? 0 : StepGame(action, random);

    /// <summary>Writes the game's state (the episode in progress, ramping included) for <see cref="ReadState"/>.</summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Terminal);
        WriteGameState(writer);
    }

    /// <summary>Restores a state <see cref="WriteState"/> wrote on a game of the same kind.</summary>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Terminal = reader.ReadBoolean();
        ReadGameState(reader);
    }

    /// <summary>Writes each channel's board (see <see cref="MinAtarBoard"/>) into <paramref name="planes"/>, one per channel.</summary>
    public abstract void Render(Span<UInt128> planes);

    /// <summary>Writes the reference's hidden debug values (<see cref="HiddenFieldNames"/> order); returns how many.</summary>
    public virtual int WriteHiddenState(Span<int> destination) => 0;

    /// <summary>Sets the state of a new episode, drawing from <paramref name="random"/> as the reference does.</summary>
    protected abstract void ResetGame(IRandomSource random);

    /// <summary>Writes every field <see cref="ResetGame"/> and <see cref="StepGame"/> change.</summary>
    protected abstract void WriteGameState(BinaryWriter writer);

    /// <summary>Reads what <see cref="WriteGameState"/> wrote.</summary>
    protected abstract void ReadGameState(BinaryReader reader);

    /// <summary>Applies one act to a non-terminal game: every phase runs even after <see cref="Terminal"/> is set.</summary>
    protected abstract int StepGame(MinAtarAction action, IRandomSource random);
}
