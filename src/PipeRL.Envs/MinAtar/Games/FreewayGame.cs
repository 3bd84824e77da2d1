
namespace PipeRL.Envs.MinAtar.Games;

/// <summary>
/// MinAtar Freeway (spec 5.3): a chicken in column 4 crosses eight lanes of wrapping cars; a car of speed s moves
/// every s+1 acts, a hit sends the chicken back to row 9, each crossing gives +1 and re-randomises the cars, and
/// the episode ends after exactly 2501 acts.
/// </summary>
public sealed class FreewayGame : MinAtarGame
{
    private const int Cars = 8;
    private const int ChickenColumn = 4;
    private const int PlayerSpeed = 3;
    private const int TimeLimit = 2500;
    private const int ChickenChannel = 0;
    private const int CarChannel = 1;

    private readonly int[] _carX = new int[Cars];
    private readonly int[] _carTimer = new int[Cars];
    private readonly int[] _carSpeed = new int[Cars];
    private int _position;
    private int _moveTimer;
    private int _terminateTimer;

    /// <summary>Creates the game; Freeway has no difficulty ramping, so the flag is ignored.</summary>
    public FreewayGame(bool difficultyRamping = true)
        : base(difficultyRamping)
    {
    }

    /// <inheritdoc/>
    public override string Name => "freeway";

    /// <inheritdoc/>
    public override IReadOnlyList<string> ChannelNames { get; } = ["chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"];

    /// <inheritdoc/>
    public override IReadOnlyList<int> MinimalActionSet { get; } = [0, 2, 4];

    /// <inheritdoc/>
    public override IReadOnlyList<string> HiddenFieldNames { get; } =
    [
        "move_timer", "terminate_timer",
        "car_timer0", "car_timer1", "car_timer2", "car_timer3", "car_timer4", "car_timer5", "car_timer6", "car_timer7",
        "car_speed0", "car_speed1", "car_speed2", "car_speed3", "car_speed4", "car_speed5", "car_speed6", "car_speed7",
    ];

    /// <inheritdoc/>
    public override void Render(Span<UInt128> planes)
    {
        planes.Clear();
        planes[ChickenChannel] = MinAtarBoard.Cell(_position, ChickenColumn);
        for (var i = 0; i < Cars; i++)
        {
            var row = i + 1;
            var speed = _carSpeed[i];
            planes[CarChannel] |= MinAtarBoard.Cell(row, _carX[i]);

            // A zero-speed car (a direction draw of exactly 0.5, probability 2^-53) has no trail channel.
            if (speed != 0)
            {
                var trail = Wrap(_carX[i] - Math.Sign(speed));
                planes[CarChannel + Math.Abs(speed)] |= MinAtarBoard.Cell(row, trail);
            }
        }
    }

    /// <inheritdoc/>
    public override int WriteHiddenState(Span<int> destination)
    {
        destination[0] = _moveTimer;
        destination[1] = _terminateTimer;
        _carTimer.CopyTo(destination[2..]);
        _carSpeed.CopyTo(destination[(2 + Cars)..]);
        return 2 + (2 * Cars);
    }

    /// <inheritdoc/>
    protected override void WriteGameState(BinaryWriter writer)
    {
        writer.WriteArray(_carX);
        writer.WriteArray(_carTimer);
        writer.WriteArray(_carSpeed);
        writer.WriteArray([_position, _moveTimer, _terminateTimer]);
    }

    /// <inheritdoc/>
    protected override void ReadGameState(BinaryReader reader)
    {
        reader.ReadArray(_carX);
        reader.ReadArray(_carTimer);
        reader.ReadArray(_carSpeed);
        Span<int> values = stackalloc int[3];
        reader.ReadArray(values);
        (_position, _moveTimer, _terminateTimer) = (values[0], values[1], values[2]);
    }

    /// <inheritdoc/>
    protected override void ResetGame(IRandomSource random)
    {
        RandomiseCars(random);
        Array.Clear(_carX);
        _position = 9;
        _moveTimer = PlayerSpeed;
        _terminateTimer = TimeLimit;
    }

    /// <inheritdoc/>
    protected override int StepGame(MinAtarAction action, IRandomSource random)
    {
        var reward = 0;
        if (action == MinAtarAction.Up && _moveTimer == 0)
        {
            _position = Math.Max(0, _position - 1);
            _moveTimer = PlayerSpeed;
        }
        else if (action == MinAtarAction.Down && _moveTimer == 0)
        {
            _position = Math.Min(9, _position + 1);
            _moveTimer = PlayerSpeed;
        }

        if (_position == 0)
        {
            reward = 1;
            RandomiseCars(random);
            _position = 9;
        }

        for (var i = 0; i < Cars; i++)
        {
            var row = i + 1;
            if (_carX[i] == ChickenColumn && row == _position)
            {
                _position = 9;
            }

            if (_carTimer[i] == 0)
            {
                var speed = _carSpeed[i];
                _carTimer[i] = Math.Abs(speed);

                // The reference moves a car right only for a positive speed, so a zero speed moves left.
                _carX[i] = Wrap(_carX[i] + (speed > 0 ? 1 : -1));
                if (_carX[i] == ChickenColumn && row == _position)
                {
                    _position = 9;
                }
            }
            else
            {
                _carTimer[i]--;
            }
        }

        if (_moveTimer > 0)
        {
            _moveTimer--;
        }

        _terminateTimer--;
        if (_terminateTimer < 0)
        {
            Terminal = true;
        }

        return reward;
    }

    private static int Wrap(int x) => x < 0 ? 9 : x > 9 ? 0 : x;

    // Speeds first (randint(1, 6, size=8)), then directions from rand(8); positions are kept.
    private void RandomiseCars(IRandomSource random)
    {
        for (var i = 0; i < Cars; i++)
        {
            _carSpeed[i] = random.NextInt(1, 6);
        }

        for (var i = 0; i < Cars; i++)
        {
            var direction = Math.Sign(random.NextDouble() - 0.5);
            _carSpeed[i] *= direction;
            _carTimer[i] = Math.Abs(_carSpeed[i]);
        }
    }
}
