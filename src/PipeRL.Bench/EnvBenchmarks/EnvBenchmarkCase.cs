namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>One row of <c>piperl bench envs</c>: an env id, how it is stepped, and a factory for the timed loop.</summary>
/// <param name="Env">The env id, for example <c>mujoco/hopper</c>.</param>
/// <param name="Mode">How it is stepped, for example <c>env</c>, <c>vector</c> or <c>physics only</c>.</param>
/// <param name="NumEnvs">Sub-envs stepped together.</param>
/// <param name="Threads">Threads that step them.</param>
/// <param name="Create">Creates the loop (called once per run, outside the timing).</param>
/// <param name="ReferenceStepsPerSecond">A published single-thread figure of the env's reference implementation (for the <c>× ref</c> column), or null.</param>
public sealed record EnvBenchmarkCase(string Env, string Mode, int NumEnvs, int Threads, Func<IEnvStepper> Create, double? ReferenceStepsPerSecond = null);
