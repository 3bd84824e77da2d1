namespace PipeRL.Envs.MinAtar;

/// <summary>MinAtar's full action set, in the reference's index order; a game treats actions it does not use as no-ops.</summary>
public enum MinAtarAction
{
    /// <summary>'n': do nothing.</summary>
    Noop = 0,

    /// <summary>'l': move left.</summary>
    Left = 1,

    /// <summary>'u': move up.</summary>
    Up = 2,

    /// <summary>'r': move right.</summary>
    Right = 3,

    /// <summary>'d': move down.</summary>
    Down = 4,

    /// <summary>'f': fire.</summary>
    Fire = 5,
}
