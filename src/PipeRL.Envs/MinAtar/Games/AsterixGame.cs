
namespace PipeRL.Envs.MinAtar.Games;

/// <summary>
/// MinAtar Asterix (spec 5.1): the player moves on rows 1-8 while enemies and gold cross rows 1-8 (one entity per
/// row); gold gives +1, an enemy ends the episode. With ramping, spawning and movement speed up every 102 acts.
/// </summary>
public sealed class AsterixGame : MinAtarGame
{
    private const int Slots = 8;
    private const int InitialSpawnSpeed = 10;
    private const int InitialMoveSpeed = 5;
    private const int RampInterval = 100;
    private const int PlayerChannel = 0;
    private const int EnemyChannel = 1;
    private const int TrailChannel = 2;
    private const int GoldChannel = 3;
    private const double GoldProbability = 1.0 / 3.0;

    private readonly int[] _entityX = new int[Slots];
    private readonly bool[] _occupied = new bool[Slots];
    private readonly bool[] _movesRight = new bool[Slots];
    private readonly bool[] _gold = new bool[Slots];
    private int _playerX;
    private int _playerY;
    private int _spawnSpeed;
    private int _spawnTimer;
    private int _moveSpeed;
    private int _moveTimer;
    private int _rampTimer;
    private int _rampIndex;

    /// <summary>Creates the game; <paramref name="difficultyRamping"/> turns the speed-ups on.</summary>
    public AsterixGame(bool difficultyRamping = true)
        : base(difficultyRamping)
    {
    }

    /// <inheritdoc/>
    public override string Name => "asterix";

    /// <inheritdoc/>
    public override IReadOnlyList<string> ChannelNames { get; } = ["player", "enemy", "trail", "gold"];

    /// <inheritdoc/>
    public override IReadOnlyList<int> MinimalActionSet { get; } = [0, 1, 2, 3, 4];

    /// <inheritdoc/>
    public override IReadOnlyList<string> HiddenFieldNames { get; } =
        ["spawn_speed", "spawn_timer", "move_speed", "move_timer", "ramp_timer", "ramp_index"];

    /// <inheritdoc/>
    public override int? DifficultyRamp => _rampIndex;

    /// <inheritdoc/>
    public override void Render(Span<UInt128> planes)
    {
        planes.Clear();
        planes[PlayerChannel] = MinAtarBoard.Cell(_playerY, _playerX);
        for (var slot = 0; slot < Slots; slot++)
        {
            if (!_occupied[slot])
            {
                continue;
            }

            var row = slot + 1;
            var x = _entityX[slot];
            planes[_gold[slot] ? GoldChannel : EnemyChannel] |= MinAtarBoard.Cell(row, x);
            var trail = _movesRight[slot] ? x - 1 : x + 1;
            if ((uint)trail < MinAtarBoard.Size)
            {
                planes[TrailChannel] |= MinAtarBoard.Cell(row, trail);
            }
        }
    }

    /// <inheritdoc/>
    public override int WriteHiddenState(Span<int> destination)
    {
        destination[0] = _spawnSpeed;
        destination[1] = _spawnTimer;
        destination[2] = _moveSpeed;
        destination[3] = _moveTimer;
        destination[4] = _rampTimer;
        destination[5] = _rampIndex;
        return 6;
    }

    /// <inheritdoc/>
    protected override void WriteGameState(BinaryWriter writer)
    {
        writer.WriteArray(_entityX);
        writer.WriteArray(_occupied);
        writer.WriteArray(_movesRight);
        writer.WriteArray(_gold);
        writer.WriteArray([_playerX, _playerY, _spawnSpeed, _spawnTimer, _moveSpeed, _moveTimer, _rampTimer, _rampIndex]);
    }

    /// <inheritdoc/>
    protected override void ReadGameState(BinaryReader reader)
    {
        reader.ReadArray(_entityX);
        reader.ReadArray(_occupied);
        reader.ReadArray(_movesRight);
        reader.ReadArray(_gold);
        Span<int> v = stackalloc int[8];
        reader.ReadArray(v);
        (_playerX, _playerY, _spawnSpeed, _spawnTimer) = (v[0], v[1], v[2], v[3]);
        (_moveSpeed, _moveTimer, _rampTimer, _rampIndex) = (v[4], v[5], v[6], v[7]);
    }

    /// <inheritdoc/>
    protected override void ResetGame(IRandomSource random)
    {
        _playerX = 5;
        _playerY = 5;
        Array.Clear(_occupied);
        _spawnSpeed = InitialSpawnSpeed;
        _spawnTimer = InitialSpawnSpeed;
        _moveSpeed = InitialMoveSpeed;
        _moveTimer = InitialMoveSpeed;
        _rampTimer = RampInterval;
        _rampIndex = 0;
    }

    /// <inheritdoc/>
    protected override int StepGame(MinAtarAction action, IRandomSource random)
    {
        if (_spawnTimer == 0)
        {
            Spawn(random);
            _spawnTimer = _spawnSpeed;
        }

        switch (action)
        {
            case MinAtarAction.Left:
                _playerX = Math.Max(0, _playerX - 1);
                break;
            case MinAtarAction.Right:
                _playerX = Math.Min(9, _playerX + 1);
                break;
            case MinAtarAction.Up:
                _playerY = Math.Max(1, _playerY - 1);
                break;
            case MinAtarAction.Down:
                _playerY = Math.Min(8, _playerY + 1);
                break;
            default:
                break;
        }

        // Slot i lives on row i + 1, so only the player's row can touch the player (rows 1-8).
        var playerSlot = _playerY - 1;
        var reward = Contact(playerSlot);

        if (_moveTimer == 0)
        {
            _moveTimer = _moveSpeed;
            for (var slot = 0; slot < Slots; slot++)
            {
                if (!_occupied[slot])
                {
                    continue;
                }

                _entityX[slot] += _movesRight[slot] ? 1 : -1;
                if ((uint)_entityX[slot] >= MinAtarBoard.Size)
                {
                    _occupied[slot] = false;
                }
                else if (slot == playerSlot)
                {
                    reward += Contact(slot);
                }
            }
        }

        _spawnTimer--;
        _moveTimer--;
        if (DifficultyRamping && (_spawnSpeed > 1 || _moveSpeed > 1))
        {
            Ramp();
        }

        return reward;
    }

    // Gold at the player cell is collected (+1); an enemy there ends the episode and stays (slot: the player's row).
    private int Contact(int slot)
    {
        if (!_occupied[slot] || _entityX[slot] != _playerX)
        {
            return 0;
        }

        if (_gold[slot])
        {
            _occupied[slot] = false;
            return 1;
        }

        Terminal = true;
        return 0;
    }

    // Direction and kind are drawn even when every slot is taken; randint(free) is drawn even for one free slot.
    private void Spawn(IRandomSource random)
    {
        var right = random.NextDouble() < 0.5;
        var gold = random.NextDouble() < GoldProbability;
        var free = 0;
        for (var slot = 0; slot < Slots; slot++)
        {
            free += _occupied[slot] ? 0 : 1;
        }

        if (free == 0)
        {
            return;
        }

        var pick = random.NextInt(0, free);
        for (var slot = 0; slot < Slots; slot++)
        {
            if (!_occupied[slot] && pick-- == 0)
            {
                _occupied[slot] = true;
                _entityX[slot] = right ? 0 : 9;
                _movesRight[slot] = right;
                _gold[slot] = gold;
                return;
            }
        }
    }

    private void Ramp()
    {
        if (_rampTimer >= 0)
        {
            _rampTimer--;
            return;
        }

        if (_moveSpeed > 1 && _rampIndex % 2 == 1)
        {
            _moveSpeed--;
        }

        if (_spawnSpeed > 1)
        {
            _spawnSpeed--;
        }

        _rampIndex++;
        _rampTimer = RampInterval;
    }
}
