namespace PipeRL.Bench.Harness;

/// <summary>One operation to time: its row name, the operation, and an optional target time in seconds.</summary>
/// <param name="Name">The row name.</param>
/// <param name="Operation">The operation, run back to back.</param>
/// <param name="Target">A target time per operation in seconds, or null.</param>
public sealed record BenchCase(string Name, Action Operation, double? Target = null);
