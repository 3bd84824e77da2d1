namespace PipeRL.Cli;

/// <summary>A user error (bad value, unknown name, malformed file) reported as one line with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
