namespace PipeRL.Cli;

/// <summary>A user error (bad value, unknown name, malformed file) reported as one line with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message)
{
    /// <summary>The usage error that <paramref name="cause"/> describes, optionally prefixed (for example by a file name).</summary>
    public static UsageException From(Exception cause, string? prefix = null)
    {
        var message = cause.Message;
        if (cause is ArgumentException { ParamName: { } name })
        {
            // ArgumentException appends " (Parameter 'x')", which names our code, not the user's input.
            var suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                message = message[..^suffix.Length];
            }
        }

        return new UsageException(prefix is null ? message : $"{prefix}: {message}");
    }
}
