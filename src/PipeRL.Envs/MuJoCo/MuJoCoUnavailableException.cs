namespace PipeRL.Envs.MuJoCo;

/// <summary>The MuJoCo 2.2.2 native library cannot be used here; the message says what is missing and how to install it.</summary>
public sealed class MuJoCoUnavailableException : Exception
{
    /// <summary>The command that installs what the MuJoCo tasks need on Debian.</summary>
    public const string InstallHint = "install it with 'apt-get install libmujoco-dev' (or run scripts/setup.sh)";

    /// <summary>Creates the exception with a message that names what is missing.</summary>
    public MuJoCoUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public MuJoCoUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public MuJoCoUnavailableException()
        : base($"MuJoCo 2.2.2 is not available: {InstallHint}.")
    {
    }
}
