using System.Numerics;

namespace PipeRL.Envs.MinAtar.Games;

/// <summary>
/// MinAtar Space Invaders (reference 1.0.15), spec section 5.5. The three 10x10 maps are bitboards, one 10-bit
/// row mask per row (bit c is column c), so numpy's whole-array rolls become shifts.
/// </summary>
public sealed class SpaceInvadersGame : MinAtarGame
{
    private const int Cannon = 0;
    private const int Alien = 1;
    private const int AlienLeft = 2;
    private const int AlienRight = 3;
    private const int FriendlyBullet = 4;
    private const int EnemyBullet = 5;

    private const int ShotCoolDown = 5;
    private const int InitialMoveInterval = 12;
    private const int EnemyShotInterval = 10;
    private const int FullRow = 0x3FF;
    private const int WaveRow = 0xFC; // columns 2-7

    private readonly int[] _aliens = new int[10];
    private readonly int[] _friendlyBullets = new int[10];
    private readonly int[] _enemyBullets = new int[10];

    private int _pos;
    private int _alienDir;
    private int _enemyMoveInterval;
    private int _alienMoveTimer;
    private int _alienShotTimer;
    private int _shotTimer;
    private int _rampIndex;

    /// <summary>Creates the game, not yet reset; Space Invaders draws no random numbers.</summary>
    public SpaceInvadersGame(bool difficultyRamping)
        : base(difficultyRamping)
    {
    }

    /// <inheritdoc/>
    public override string Name => "space_invaders";

    /// <inheritdoc/>
    public override IReadOnlyList<string> ChannelNames { get; } =
        ["cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet"];

    /// <inheritdoc/>
    public override IReadOnlyList<int> MinimalActionSet { get; } = [0, 1, 3, 5];

    /// <inheritdoc/>
    public override IReadOnlyList<string> HiddenFieldNames { get; } =
        ["alien_dir", "enemy_move_interval", "alien_move_timer", "alien_shot_timer", "shot_timer", "ramp_index"];

    /// <inheritdoc/>
    public override int? DifficultyRamp => _rampIndex;

    /// <inheritdoc/>
    public override int WriteHiddenState(Span<int> destination)
    {
        ReadOnlySpan<int> values = [_alienDir, _enemyMoveInterval, _alienMoveTimer, _alienShotTimer, _shotTimer, _rampIndex];
        values.CopyTo(destination);
        return values.Length;
    }

    /// <inheritdoc/>
    protected override void WriteGameState(BinaryWriter writer)
    {
        writer.WriteArray(_aliens);
        writer.WriteArray(_friendlyBullets);
        writer.WriteArray(_enemyBullets);
        writer.WriteArray([_pos, _alienDir, _enemyMoveInterval, _alienMoveTimer, _alienShotTimer, _shotTimer, _rampIndex]);
    }

    /// <inheritdoc/>
    protected override void ReadGameState(BinaryReader reader)
    {
        reader.ReadArray(_aliens);
        reader.ReadArray(_friendlyBullets);
        reader.ReadArray(_enemyBullets);
        Span<int> v = stackalloc int[7];
        reader.ReadArray(v);
        (_pos, _alienDir, _enemyMoveInterval, _alienMoveTimer) = (v[0], v[1], v[2], v[3]);
        (_alienShotTimer, _shotTimer, _rampIndex) = (v[4], v[5], v[6]);
    }

    /// <inheritdoc/>
    protected override void ResetGame(IRandomSource random)
    {
        _pos = 5;
        Array.Clear(_friendlyBullets);
        Array.Clear(_enemyBullets);
        Array.Clear(_aliens);
        FillWave();
        _alienDir = -1;
        _enemyMoveInterval = InitialMoveInterval;
        _alienMoveTimer = InitialMoveInterval;
        _alienShotTimer = EnemyShotInterval;
        _rampIndex = 0;
        _shotTimer = 0;
    }

    /// <inheritdoc/>
    protected override int StepGame(MinAtarAction action, IRandomSource random)
    {
        var cannonBit = 1 << _pos;
        switch (action)
        {
            case MinAtarAction.Fire when _shotTimer == 0:
                _friendlyBullets[9] |= cannonBit;
                _shotTimer = ShotCoolDown;
                break;
            case MinAtarAction.Left:
                _pos = Math.Max(0, _pos - 1);
                break;
            case MinAtarAction.Right:
                _pos = Math.Min(9, _pos + 1);
                break;
            default:
                break;
        }

        cannonBit = 1 << _pos;

        // Friendly bullets rise one row (row 0 leaves); enemy bullets fall one row (row 9 leaves).
        Array.Copy(_friendlyBullets, 1, _friendlyBullets, 0, 9);
        _friendlyBullets[9] = 0;
        Array.Copy(_enemyBullets, 0, _enemyBullets, 1, 9);
        _enemyBullets[0] = 0;
        if ((_enemyBullets[9] & cannonBit) != 0 || (_aliens[9] & cannonBit) != 0)
        {
            Terminal = true;
        }

        if (_alienMoveTimer == 0)
        {
            MoveAliens(cannonBit);
        }

        if (_alienShotTimer == 0)
        {
            _alienShotTimer = EnemyShotInterval;
            FireFromNearestAlien();
        }

        var reward = 0;
        for (var row = 0; row < 10; row++)
        {
            var kills = _aliens[row] & _friendlyBullets[row];
            if (kills != 0)
            {
                reward += BitOperations.PopCount((uint)kills);
                _aliens[row] &= ~kills;
                _friendlyBullets[row] &= ~kills;
            }
        }

        if (_shotTimer > 0)
        {
            _shotTimer--;
        }

        _alienMoveTimer--;
        _alienShotTimer--;
        if (CountAliens() == 0)
        {
            if (_enemyMoveInterval > 6 && DifficultyRamping)
            {
                _enemyMoveInterval--;
                _rampIndex++;
            }

            FillWave();
        }

        return reward;
    }

    /// <inheritdoc/>
    public override void Render(Span<UInt128> planes)
    {
        planes[..Channels].Clear();
        planes[Cannon] = MinAtarBoard.Cell(9, _pos);
        var aliens = Board(_aliens);
        planes[Alien] = aliens;
        planes[_alienDir < 0 ? AlienLeft : AlienRight] = aliens;
        planes[FriendlyBullet] = Board(_friendlyBullets);
        planes[EnemyBullet] = Board(_enemyBullets);
    }

    private static UInt128 Board(int[] rows)
    {
        var board = UInt128.Zero;
        for (var row = 9; row >= 0; row--)
        {
            board = (board << MinAtarBoard.Size) | (uint)rows[row];
        }

        return board;
    }

    private void MoveAliens(int cannonBit)
    {
        var count = CountAliens();
        var columns = 0;
        for (var row = 0; row < 10; row++)
        {
            columns |= _aliens[row];
        }

        _alienMoveTimer = Math.Min(count, _enemyMoveInterval);
        if (((columns & 1) != 0 && _alienDir < 0) || ((columns & (1 << 9)) != 0 && _alienDir > 0))
        {
            _alienDir = -_alienDir;
            if (_aliens[9] != 0)
            {
                Terminal = true;
            }

            // numpy roll by one row: the bottom row wraps to the top (spec 6.8).
            var bottom = _aliens[9];
            Array.Copy(_aliens, 0, _aliens, 1, 9);
            _aliens[0] = bottom;
        }
        else
        {
            for (var row = 0; row < 10; row++)
            {
                var bits = _aliens[row];
                _aliens[row] = _alienDir > 0
                    ? ((bits << 1) | (bits >> 9)) & FullRow
                    : ((bits >> 1) | (bits << 9)) & FullRow;
            }
        }

        if ((_aliens[9] & cannonBit) != 0)
        {
            Terminal = true;
        }
    }

    private void FireFromNearestAlien()
    {
        var columns = 0;
        for (var row = 0; row < 10; row++)
        {
            columns |= _aliens[row];
        }

        // Search columns by distance to the cannon, the lower column first on a tie (Python's stable sort).
        for (var distance = 0; distance < 10; distance++)
        {
            for (var side = -1; side <= 1; side += 2)
            {
                var col = _pos + (side * distance);
                if ((uint)col > 9 || (columns & (1 << col)) == 0 || (distance == 0 && side > 0))
                {
                    continue;
                }

                for (var row = 9; row >= 0; row--)
                {
                    if ((_aliens[row] & (1 << col)) != 0)
                    {
                        _enemyBullets[row] |= 1 << col;
                        return;
                    }
                }
            }
        }
    }

    private int CountAliens()
    {
        var count = 0;
        for (var row = 0; row < 10; row++)
        {
            count += BitOperations.PopCount((uint)_aliens[row]);
        }

        return count;
    }

    private void FillWave()
    {
        for (var row = 0; row < 4; row++)
        {
            _aliens[row] |= WaveRow;
        }
    }
}
