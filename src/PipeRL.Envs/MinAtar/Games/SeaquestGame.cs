namespace PipeRL.Envs.MinAtar.Games;

/// <summary>MinAtar Seaquest (reference 1.0.15), phase by phase as in the spec's section 5.4, quirks included.</summary>
public sealed class SeaquestGame : MinAtarGame
{
    private const int SubFront = 0;
    private const int SubBack = 1;
    private const int FriendlyBullet = 2;
    private const int Trail = 3;
    private const int EnemyBullet = 4;
    private const int EnemyFish = 5;
    private const int EnemySub = 6;
    private const int OxygenGauge = 7;
    private const int DiverGauge = 8;
    private const int Diver = 9;

    private const int MaxOxygen = 200;
    private const int DiverSpawnInterval = 30;
    private const int DiverMoveInterval = 5;
    private const int ShotCoolDown = 5;
    private const int EnemyShotInterval = 10;
    private const int InitialSpawnSpeed = 20;
    private const int InitialMoveSpeed = 5;

    private readonly SeaquestObjectList _friendlyBullets = new();
    private readonly SeaquestObjectList _enemyBullets = new();
    private readonly SeaquestObjectList _fish = new();
    private readonly SeaquestObjectList _subs = new();
    private readonly SeaquestObjectList _divers = new();

    private int _subX;
    private int _subY;
    private bool _subRight;
    private int _oxygen;
    private int _diverCount;
    private int _enemySpawnSpeed;
    private int _enemySpawnTimer;
    private int _diverSpawnTimer;
    private int _moveSpeed;
    private int _rampIndex;
    private int _shotTimer;
    private bool _surface;

    /// <summary>Creates the game, not yet reset.</summary>
    public SeaquestGame(bool difficultyRamping)
        : base(difficultyRamping)
    {
    }

    /// <inheritdoc/>
    public override string Name => "seaquest";

    /// <inheritdoc/>
    public override IReadOnlyList<string> ChannelNames { get; } =
        ["sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet", "enemy_fish", "enemy_sub", "oxygen_guage", "diver_guage", "diver"];

    /// <inheritdoc/>
    public override IReadOnlyList<int> MinimalActionSet { get; } = [0, 1, 2, 3, 4, 5];

    /// <inheritdoc/>
    public override IReadOnlyList<string> HiddenFieldNames { get; } =
        ["oxygen", "diver_count", "e_spawn_speed", "e_spawn_timer", "d_spawn_timer", "move_speed", "ramp_index", "shot_timer", "surface"];

    /// <inheritdoc/>
    public override int? DifficultyRamp => _rampIndex;

    /// <inheritdoc/>
    public override int WriteHiddenState(Span<int> destination)
    {
        ReadOnlySpan<int> values = [_oxygen, _diverCount, _enemySpawnSpeed, _enemySpawnTimer, _diverSpawnTimer, _moveSpeed, _rampIndex, _shotTimer, _surface ? 1 : 0];
        values.CopyTo(destination);
        return values.Length;
    }

    /// <inheritdoc/>
    protected override void WriteGameState(BinaryWriter writer)
    {
        foreach (var list in (ReadOnlySpan<SeaquestObjectList>)[_friendlyBullets, _enemyBullets, _fish, _subs, _divers])
        {
            list.WriteState(writer);
        }

        writer.WriteArray([_subX, _subY, _oxygen, _diverCount, _enemySpawnSpeed, _enemySpawnTimer, _diverSpawnTimer, _moveSpeed, _rampIndex, _shotTimer]);
        writer.Write(_subRight);
        writer.Write(_surface);
    }

    /// <inheritdoc/>
    protected override void ReadGameState(BinaryReader reader)
    {
        foreach (var list in (ReadOnlySpan<SeaquestObjectList>)[_friendlyBullets, _enemyBullets, _fish, _subs, _divers])
        {
            list.ReadState(reader);
        }

        Span<int> v = stackalloc int[10];
        reader.ReadArray(v);
        (_subX, _subY, _oxygen, _diverCount, _enemySpawnSpeed) = (v[0], v[1], v[2], v[3], v[4]);
        (_enemySpawnTimer, _diverSpawnTimer, _moveSpeed, _rampIndex, _shotTimer) = (v[5], v[6], v[7], v[8], v[9]);
        _subRight = reader.ReadBoolean();
        _surface = reader.ReadBoolean();
    }

    /// <inheritdoc/>
    protected override void ResetGame(IRandomSource random)
    {
        _oxygen = MaxOxygen;
        _diverCount = 0;
        _subX = 5;
        _subY = 0;
        _subRight = false;
        _friendlyBullets.Clear();
        _enemyBullets.Clear();
        _fish.Clear();
        _subs.Clear();
        _divers.Clear();
        _enemySpawnSpeed = InitialSpawnSpeed;
        _enemySpawnTimer = InitialSpawnSpeed;
        _diverSpawnTimer = DiverSpawnInterval;
        _moveSpeed = InitialMoveSpeed;
        _rampIndex = 0;
        _shotTimer = 0;
        _surface = true;
    }

    /// <inheritdoc/>
    protected override int StepGame(MinAtarAction action, IRandomSource random)
    {
        if (_enemySpawnTimer == 0)
        {
            SpawnEnemy(random);
            _enemySpawnTimer = _enemySpawnSpeed;
        }

        if (_diverSpawnTimer == 0)
        {
            SpawnDiver(random);
            _diverSpawnTimer = DiverSpawnInterval;
        }

        MovePlayer(action);
        var reward = MoveFriendlyBullets();
        MoveDivers();
        reward += MoveEnemySubs();
        MoveEnemyBullets();
        reward += MoveFish();
        reward += UpdateTimersAndOxygen();
        return reward;
    }

    /// <inheritdoc/>
    public override void Render(Span<UInt128> planes)
    {
        planes[..Channels].Clear();
        planes[SubFront] = MinAtarBoard.Cell(_subY, _subX);
        var backX = _subRight ? _subX - 1 : _subX + 1;
        if ((uint)backX < MinAtarBoard.Size)
        {
            planes[SubBack] = MinAtarBoard.Cell(_subY, backX);
        }

        // Row 9 gauges: oxygen fills cols 0.., divers fill cols ..8 (col 9 is never used).
        var oxygenCells = Math.Max(0, _oxygen) * 10 / MaxOxygen;
        planes[OxygenGauge] = ((UInt128.One << oxygenCells) - UInt128.One) << (9 * MinAtarBoard.Size);
        var diverCells = Math.Clamp(_diverCount, 0, 9);
        planes[DiverGauge] = ((UInt128.One << diverCells) - UInt128.One) << ((9 * MinAtarBoard.Size) + 9 - diverCells);
        planes[FriendlyBullet] = Cells(_friendlyBullets);
        planes[EnemyBullet] = Cells(_enemyBullets);
        var trail = UInt128.Zero;
        planes[EnemyFish] = CellsWithTrail(_fish, ref trail);
        planes[EnemySub] = CellsWithTrail(_subs, ref trail);
        planes[Diver] = CellsWithTrail(_divers, ref trail);
        planes[Trail] = trail;
    }

    private static UInt128 Cells(SeaquestObjectList list)
    {
        var board = UInt128.Zero;
        for (var i = 0; i < list.Count; i++)
        {
            board |= MinAtarBoard.Cell(list[i].Y, list[i].X);
        }

        return board;
    }

    private static UInt128 CellsWithTrail(SeaquestObjectList list, ref UInt128 trail)
    {
        var board = UInt128.Zero;
        for (var i = 0; i < list.Count; i++)
        {
            ref var item = ref list[i];
            board |= MinAtarBoard.Cell(item.Y, item.X);
            var backX = item.X - item.Step;
            if ((uint)backX < MinAtarBoard.Size)
            {
                trail |= MinAtarBoard.Cell(item.Y, backX);
            }
        }

        return board;
    }

    private void SpawnEnemy(IRandomSource random)
    {
        var right = random.NextDouble() < 0.5;
        var isSub = random.NextDouble() < 1.0 / 3.0;
        var x = right ? 0 : 9;
        var y = random.NextInt(1, 9);
        if (_subs.AnyOnRowOpposite(y, right) || _fish.AnyOnRowOpposite(y, right))
        {
            return;
        }

        if (isSub)
        {
            _subs.Add(new SeaquestObject(x, y, right, _moveSpeed, EnemyShotInterval));
        }
        else
        {
            _fish.Add(new SeaquestObject(x, y, right, _moveSpeed));
        }
    }

    private void SpawnDiver(IRandomSource random)
    {
        var right = random.NextDouble() < 0.5;
        var x = right ? 0 : 9;
        var y = random.NextInt(1, 9);
        _divers.Add(new SeaquestObject(x, y, right, DiverMoveInterval));
    }

    private void MovePlayer(MinAtarAction action)
    {
        switch (action)
        {
            case MinAtarAction.Fire when _shotTimer == 0:
                _friendlyBullets.Add(new SeaquestObject(_subX, _subY, _subRight));
                _shotTimer = ShotCoolDown;
                break;
            case MinAtarAction.Left:
                _subX = Math.Max(0, _subX - 1);
                _subRight = false;
                break;
            case MinAtarAction.Right:
                _subX = Math.Min(9, _subX + 1);
                _subRight = true;
                break;
            case MinAtarAction.Up:
                _subY = Math.Max(0, _subY - 1);
                break;
            case MinAtarAction.Down:
                _subY = Math.Min(8, _subY + 1);
                break;
            default:
                break;
        }
    }

    private bool OnPlayer(in SeaquestObject item) => item.X == _subX && item.Y == _subY;

    // The walks below copy Python's reversed(list) iteration: the index only decreases and the walk stops once it
    // falls outside the (possibly shrunken) list; removal is list.remove, by value.
    private int MoveFriendlyBullets()
    {
        var reward = 0;
        for (var i = _friendlyBullets.Count - 1; i >= 0 && i < _friendlyBullets.Count; i--)
        {
            ref var slot = ref _friendlyBullets[i];
            slot.X += slot.Step;
            var bullet = slot;
            if ((uint)bullet.X > 9)
            {
                _friendlyBullets.RemoveFirstEqual(bullet);
                continue;
            }

            var hit = _fish.IndexAt(bullet.X, bullet.Y);
            if (hit >= 0)
            {
                _fish.RemoveAt(hit);
                _friendlyBullets.RemoveFirstEqual(bullet);
                reward++;
                continue;
            }

            hit = _subs.IndexAt(bullet.X, bullet.Y);
            if (hit >= 0)
            {
                _subs.RemoveAt(hit);
                _friendlyBullets.RemoveFirstEqual(bullet);
                reward++;
            }
        }

        return reward;
    }

    private void MoveDivers()
    {
        for (var i = _divers.Count - 1; i >= 0 && i < _divers.Count; i--)
        {
            ref var slot = ref _divers[i];
            if (OnPlayer(slot) && _diverCount < 6)
            {
                _divers.RemoveFirstEqual(slot);
                _diverCount++;
            }
            else if (slot.MoveTimer == 0)
            {
                slot.MoveTimer = DiverMoveInterval;
                slot.X += slot.Step;
                var diver = slot;
                if ((uint)diver.X > 9)
                {
                    _divers.RemoveFirstEqual(diver);
                }
                else if (OnPlayer(diver) && _diverCount < 6)
                {
                    _divers.RemoveFirstEqual(diver);
                    _diverCount++;
                }
            }
            else
            {
                slot.MoveTimer--;
            }
        }
    }

    private int MoveEnemySubs()
    {
        var reward = 0;
        for (var i = _subs.Count - 1; i >= 0 && i < _subs.Count; i--)
        {
            // The sub is tracked by position so that later mutations land on it even if list.remove took an equal twin.
            var position = i;
            var alive = true;
            var sub = _subs[i];
            if (OnPlayer(sub))
            {
                Terminal = true;
            }

            if (sub.MoveTimer == 0)
            {
                sub.MoveTimer = _moveSpeed;
                sub.X += sub.Step;
                _subs[position] = sub;
                if ((uint)sub.X > 9)
                {
                    Track(_subs.RemoveFirstEqual(sub), ref position, ref alive);
                }
                else if (OnPlayer(sub))
                {
                    Terminal = true;
                }
                else
                {
                    var hit = _friendlyBullets.IndexAt(sub.X, sub.Y);
                    if (hit >= 0)
                    {
                        Track(_subs.RemoveFirstEqual(sub), ref position, ref alive);
                        _friendlyBullets.RemoveAt(hit);
                        reward++;
                    }
                }
            }
            else
            {
                sub.MoveTimer--;
            }

            // A sub removed above still fires (spec 6.2).
            if (sub.ShotTimer == 0)
            {
                sub.ShotTimer = EnemyShotInterval;
                _enemyBullets.Add(new SeaquestObject(sub.X, sub.Y, sub.Right));
            }
            else
            {
                sub.ShotTimer--;
            }

            if (alive)
            {
                _subs[position] = sub;
            }
        }

        return reward;
    }

    private static void Track(int removedIndex, ref int position, ref bool alive)
    {
        if (removedIndex == position)
        {
            alive = false;
        }
        else if (removedIndex < position)
        {
            position--;
        }
    }

    private void MoveEnemyBullets()
    {
        for (var i = _enemyBullets.Count - 1; i >= 0 && i < _enemyBullets.Count; i--)
        {
            ref var slot = ref _enemyBullets[i];
            if (OnPlayer(slot))
            {
                Terminal = true;
            }

            slot.X += slot.Step;
            var bullet = slot;
            if ((uint)bullet.X > 9)
            {
                _enemyBullets.RemoveFirstEqual(bullet);
            }
            else if (OnPlayer(bullet))
            {
                Terminal = true;
            }
        }
    }

    private int MoveFish()
    {
        var reward = 0;
        for (var i = _fish.Count - 1; i >= 0 && i < _fish.Count; i--)
        {
            ref var slot = ref _fish[i];
            if (OnPlayer(slot))
            {
                Terminal = true;
            }

            if (slot.MoveTimer != 0)
            {
                slot.MoveTimer--;
                continue;
            }

            slot.MoveTimer = _moveSpeed;
            slot.X += slot.Step;
            var fish = slot;
            if ((uint)fish.X > 9)
            {
                _fish.RemoveFirstEqual(fish);
            }
            else if (OnPlayer(fish))
            {
                Terminal = true;
            }
            else
            {
                var hit = _friendlyBullets.IndexAt(fish.X, fish.Y);
                if (hit >= 0)
                {
                    _fish.RemoveFirstEqual(fish);
                    _friendlyBullets.RemoveAt(hit);
                    reward++;
                }
            }
        }

        return reward;
    }

    private int UpdateTimersAndOxygen()
    {
        if (_enemySpawnTimer > 0)
        {
            _enemySpawnTimer--;
        }

        if (_diverSpawnTimer > 0)
        {
            _diverSpawnTimer--;
        }

        if (_shotTimer > 0)
        {
            _shotTimer--;
        }

        if (_oxygen <= 0)
        {
            Terminal = true;
        }

        if (_subY > 0)
        {
            _oxygen--;
            _surface = false;
            return 0;
        }

        if (_surface)
        {
            return 0;
        }

        if (_diverCount == 0)
        {
            Terminal = true;
            return 0;
        }

        return Surface();
    }

    private int Surface()
    {
        var reward = 0;
        _surface = true;
        if (_diverCount == 6)
        {
            _diverCount = 0;
            reward = _oxygen * 10 / MaxOxygen;
        }

        _oxygen = MaxOxygen;

        // Unconditional, so a 6-diver surfacing leaves -1 (spec 6.1).
        _diverCount--;
        if (DifficultyRamping && (_enemySpawnSpeed > 1 || _moveSpeed > 2))
        {
            if (_moveSpeed > 2 && _rampIndex % 2 == 1)
            {
                _moveSpeed--;
            }

            if (_enemySpawnSpeed > 1)
            {
                _enemySpawnSpeed--;
            }

            _rampIndex++;
        }

        return reward;
    }
}
