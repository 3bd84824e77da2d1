
namespace PipeRL.Envs.MinAtar.Games;

/// <summary>
/// MinAtar Breakout (spec 5.2): a paddle on row 9, a ball moving diagonally every act and three rows of bricks that
/// refill when the ball next reaches row 9 after the last one breaks. Reward +1 per brick; a missed ball ends it.
/// </summary>
public sealed class BreakoutGame : MinAtarGame
{
    private const int PaddleChannel = 0;
    private const int BallChannel = 1;
    private const int TrailChannel = 2;
    private const int BrickChannel = 3;

    // Direction d moves the ball by (DeltaX[d], DeltaY[d]): up-left, up-right, down-right, down-left.
    private static readonly int[] DeltaX = [-1, 1, 1, -1];
    private static readonly int[] DeltaY = [-1, -1, 1, 1];
    private static readonly UInt128 FullBricks = MinAtarBoard.Rows(1, 3);

    private UInt128 _bricks;
    private int _paddle;
    private int _ballX;
    private int _ballY;
    private int _direction;
    private int _lastX;
    private int _lastY;
    private bool _strike;

    /// <summary>Creates the game; Breakout has no difficulty ramping, so the flag is ignored.</summary>
    public BreakoutGame(bool difficultyRamping = true)
        : base(difficultyRamping)
    {
    }

    /// <inheritdoc/>
    public override string Name => "breakout";

    /// <inheritdoc/>
    public override IReadOnlyList<string> ChannelNames { get; } = ["paddle", "ball", "trail", "brick"];

    /// <inheritdoc/>
    public override IReadOnlyList<int> MinimalActionSet { get; } = [0, 1, 3];

    /// <inheritdoc/>
    public override IReadOnlyList<string> HiddenFieldNames { get; } = ["ball_x", "ball_y", "ball_dir", "strike"];

    /// <inheritdoc/>
    public override void Render(Span<UInt128> planes)
    {
        planes[PaddleChannel] = MinAtarBoard.Cell(9, _paddle);
        planes[BallChannel] = MinAtarBoard.Cell(_ballY, _ballX);
        planes[TrailChannel] = MinAtarBoard.Cell(_lastY, _lastX);
        planes[BrickChannel] = _bricks;
    }

    /// <inheritdoc/>
    public override int WriteHiddenState(Span<int> destination)
    {
        destination[0] = _ballX;
        destination[1] = _ballY;
        destination[2] = _direction;
        destination[3] = _strike ? 1 : 0;
        return 4;
    }

    /// <inheritdoc/>
    protected override void WriteGameState(BinaryWriter writer)
    {
        writer.Write128(_bricks);
        writer.WriteArray([_paddle, _ballX, _ballY, _direction, _lastX, _lastY]);
        writer.Write(_strike);
    }

    /// <inheritdoc/>
    protected override void ReadGameState(BinaryReader reader)
    {
        _bricks = reader.Read128();
        Span<int> values = stackalloc int[6];
        reader.ReadArray(values);
        (_paddle, _ballX, _ballY, _direction, _lastX, _lastY) = (values[0], values[1], values[2], values[3], values[4], values[5]);
        _strike = reader.ReadBoolean();
    }

    /// <inheritdoc/>
    protected override void ResetGame(IRandomSource random)
    {
        var fromRight = random.NextInt(0, 2) == 1;
        _ballY = 3;
        _ballX = fromRight ? 9 : 0;
        _direction = fromRight ? 3 : 2;
        _paddle = 4;
        _bricks = FullBricks;
        _strike = false;
        _lastX = _ballX;
        _lastY = _ballY;
    }

    /// <inheritdoc/>
    protected override int StepGame(MinAtarAction action, IRandomSource random)
    {
        if (action == MinAtarAction.Left)
        {
            _paddle = Math.Max(0, _paddle - 1);
        }
        else if (action == MinAtarAction.Right)
        {
            _paddle = Math.Min(9, _paddle + 1);
        }

        _lastX = _ballX;
        _lastY = _ballY;
        var newX = _ballX + DeltaX[_direction];
        var newY = _ballY + DeltaY[_direction];
        if ((uint)newX > 9)
        {
            newX = Math.Clamp(newX, 0, 9);
            _direction ^= 1;
        }

        var reward = 0;
        var touchedBrick = false;
        if (newY < 0)
        {
            newY = 0;
            _direction = 3 - _direction;
        }
        else if (MinAtarBoard.Has(_bricks, newY, newX))
        {
            touchedBrick = true;
            if (!_strike)
            {
                reward = 1;
                _strike = true;
                _bricks &= ~MinAtarBoard.Cell(newY, newX);
                newY = _lastY;
                _direction = 3 - _direction;
            }
        }
        else if (newY == 9)
        {
            if (_bricks == UInt128.Zero)
            {
                _bricks = FullBricks;
            }

            if (_ballX == _paddle)
            {
                _direction = 3 - _direction;
                newY = _lastY;
            }
            else if (newX == _paddle)
            {
                _direction ^= 2;
                newY = _lastY;
            }
            else
            {
                Terminal = true;
            }
        }

        if (!touchedBrick)
        {
            _strike = false;
        }

        _ballX = newX;
        _ballY = newY;
        return reward;
    }
}
