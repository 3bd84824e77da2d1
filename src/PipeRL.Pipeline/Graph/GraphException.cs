namespace PipeRL.Pipeline.Graph;

/// <summary>A graph description that is not a valid pipelined network; the message says what and how to fix it.</summary>
public sealed class GraphException : Exception
{
    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public GraphException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public GraphException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates an exception without a message (prefer the other constructors).</summary>
    public GraphException()
    {
    }
}
