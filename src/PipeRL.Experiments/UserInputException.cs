namespace PipeRL.Experiments;

/// <summary>
/// Input a user gave (a setting, a config or study file, a run folder, a path) cannot be used; the message names the
/// input and the fix. The command line reports it as one line with exit code 2. Bugs never take this type, so an
/// argument check failing inside PipeRL is not mistaken for bad input.
/// </summary>
public sealed class UserInputException : Exception
{
    /// <summary>A user-input error saying what is wrong and how to fix it.</summary>
    public UserInputException(string message)
        : base(message)
    {
    }

    /// <summary>A user-input error caused by <paramref name="inner"/> (a parse or file-system error).</summary>
    public UserInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
