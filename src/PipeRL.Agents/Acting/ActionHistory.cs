using PipeRL.Envs;

namespace PipeRL.Agents.Acting;

/// <summary>
/// The last K actions of each env, oldest first, appended to its observation to form the actor's input (one-hot for
/// discrete actions). Which K actions those are depends on when the acting loop pushes (<see cref="HistoryWindow"/>).
/// A new episode starts with zeros.
/// </summary>
public sealed class ActionHistory
{
    private readonly float[] _window;
    private readonly int _actionWidth;
    private readonly bool _discrete;

    /// <summary>Keeps <paramref name="length"/> actions for each of <paramref name="numEnvs"/> envs.</summary>
    /// <param name="numEnvs">Number of envs.</param>
    /// <param name="length">K, the number of past actions kept (0 keeps none).</param>
    /// <param name="actionWidth">Floats per action: the number of discrete actions (one-hot) or the action dimensions.</param>
    /// <param name="discrete">Whether actions are indices to encode one-hot.</param>
    public ActionHistory(int numEnvs, int length, int actionWidth, bool discrete)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numEnvs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionWidth, 1);
        NumEnvs = numEnvs;
        Length = length;
        _actionWidth = actionWidth;
        _discrete = discrete;
        _window = new float[numEnvs * length * actionWidth];
    }

    /// <summary>Number of envs.</summary>
    public int NumEnvs { get; }

    /// <summary>K, the number of past actions kept.</summary>
    public int Length { get; }

    /// <summary>Floats the history adds to one env's input.</summary>
    public int Width => Length * _actionWidth;

    /// <summary>Forgets env <paramref name="env"/>'s actions (a new episode).</summary>
    public void Clear(int env) => Row(env).Clear();

    /// <summary>Forgets every env's actions.</summary>
    public void ClearAll() => Array.Clear(_window);

    /// <summary>Appends env <paramref name="env"/>'s executed action (one float holding the index when discrete), dropping the oldest.</summary>
    public void Push(int env, ReadOnlySpan<float> action)
    {
        if (Length == 0)
        {
            return;
        }

        var row = Row(env);
        row[_actionWidth..].CopyTo(row);
        var newest = row[^_actionWidth..];
        if (_discrete)
        {
            newest.Clear();
            newest[(int)action[0]] = 1f;
        }
        else
        {
            action.CopyTo(newest);
        }
    }

    /// <summary>Writes every env's actions.</summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteArray(_window);
    }

    /// <summary>Restores the actions <see cref="WriteState"/> wrote (same envs, length and width).</summary>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.ReadArray(_window);
    }

    /// <summary>Writes env <paramref name="env"/>'s input: its observation followed by its history.</summary>
    public void WriteInput(int env, ReadOnlySpan<float> observation, Span<float> input)
    {
        observation.CopyTo(input);
        Row(env).CopyTo(input[observation.Length..]);
    }

    private Span<float> Row(int env) => _window.AsSpan(env * Width, Width);
}
