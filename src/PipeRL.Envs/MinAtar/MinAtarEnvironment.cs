
namespace PipeRL.Envs.MinAtar;

/// <summary>
/// The reference's <c>minatar.Environment</c>: a game behind sticky actions, sharing one random stream between the
/// sticky draw and the game. Every act draws the sticky number first, even at probability 0 and on a terminal game;
/// <see cref="LastAction"/> survives <see cref="Reset"/>. Acting on a terminal game is allowed, as in the reference.
/// </summary>
public sealed class MinAtarEnvironment
{
    /// <summary>The reference's default sticky-action probability.</summary>
    public const double DefaultStickyActionProbability = 0.1;

    /// <summary>Size of the full action set.</summary>
    public const int FullActionCount = 6;

    private readonly UInt128[] _planes;
    private IRandomSource _random;

    /// <summary>Wraps <paramref name="game"/> and resets it with draws from <paramref name="random"/>, as the reference's constructor does.</summary>
    public MinAtarEnvironment(MinAtarGame game, IRandomSource random, double stickyActionProbability = DefaultStickyActionProbability)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(random);
        if (!(stickyActionProbability >= 0 && stickyActionProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(stickyActionProbability), stickyActionProbability, "The sticky-action probability must lie in [0, 1] (MinAtar's default is 0.1; 0 turns sticky actions off).");
        }

        Game = game;
        _random = random;
        StickyActionProbability = stickyActionProbability;
        _planes = new UInt128[game.Channels];
        game.Reset(random);
    }

    /// <summary>The wrapped game.</summary>
    public MinAtarGame Game { get; }

    /// <summary>The probability that an act repeats the previous effective action instead of the requested one.</summary>
    public double StickyActionProbability { get; }

    /// <summary>The effective action of the latest act (a full-set index); 0 before the first act, kept across resets.</summary>
    public int LastAction { get; private set; }

    /// <summary>The one stream that feeds both the sticky draws and the game; replace it to replay logged draws.</summary>
    public IRandomSource Random
    {
        get => _random;
        set => _random = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The reference's <c>seed(s)</c>: one fresh <c>RandomState(seed)</c> shared by sticky actions and the game.</summary>
    public void Seed(uint seed)
    {
        if (_random is NumpyRandomState numpy)
        {
            numpy.Seed(seed);
        }
        else
        {
            _random = new NumpyRandomState(seed);
        }
    }

    /// <summary>
    /// Writes the whole state: the game, <see cref="LastAction"/> and the random stream (a seeded
    /// <see cref="NumpyRandomState"/>; a stream replaying logged draws has no state to save).
    /// </summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Game.WriteState(writer);
        writer.Write(LastAction);
        RandomState.WriteState(writer);
    }

    /// <summary>Restores a state <see cref="WriteState"/> wrote for the same game.</summary>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Game.ReadState(reader);
        LastAction = reader.ReadInt32(0, FullActionCount - 1, "a last action");
        RandomState.ReadState(reader);
    }

    /// <summary>Resets the game only; neither <see cref="LastAction"/> nor the random stream is reset.</summary>
    public void Reset() => Game.Reset(_random);

    /// <summary>The reference's <c>act(a)</c> with a full-set action index; returns the reward and the terminal flag.</summary>
    public (int Reward, bool Terminal) Act(int action)
    {
        if ((uint)action >= FullActionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"MinAtar actions are full-set indices 0..5 (n, l, u, r, d, f); {Game.Name} got {action}.");
        }

        if (_random.NextDouble() < StickyActionProbability)
        {
            action = LastAction;
        }

        LastAction = action;
        var reward = Game.Act((MinAtarAction)action, _random);
        return (reward, Game.Terminal);
    }

    private NumpyRandomState RandomState => _random as NumpyRandomState
        ?? throw new NotSupportedException($"{Game.Name}: a random source of type {_random.GetType().Name} has no state to save; only a seeded NumpyRandomState has.");

    /// <summary>Writes the observation as 0/1 floats in <c>[row][col][channel]</c> order (10·10·C values).</summary>
    public void WriteObservation(Span<float> destination)
    {
        Game.Render(_planes);
        MinAtarObservation.WriteFloats(_planes, destination);
    }

    /// <summary>Writes the observation packed as numpy's <c>packbits</c> of the boolean state.</summary>
    public void WritePackedObservation(Span<byte> destination)
    {
        Game.Render(_planes);
        MinAtarObservation.WritePacked(_planes, destination);
    }

    /// <summary>Writes the observation as one 100-bit board per channel (the compact form).</summary>
    public void WriteBoards(Span<UInt128> destination)
    {
        if (destination.Length != _planes.Length)
        {
            throw new ArgumentException($"{Game.Name} has {_planes.Length} channels; the board buffer has {destination.Length}.", nameof(destination));
        }

        Game.Render(destination);
    }
}
