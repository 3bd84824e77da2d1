using System.Runtime.InteropServices;

namespace PipeRL.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM turned into a clean-stop request while this object lives: the first signal cancels
/// <see cref="Token"/>; a second one gets the default behaviour (the process ends at once).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _exitCode;

    public StopSignals()
    {
        _sigint = Register(PosixSignal.SIGINT, 130);
        _sigterm = Register(PosixSignal.SIGTERM, 143);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>128 + the first signal's number (130 for SIGINT, 143 for SIGTERM), or 0 while none came.</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }

    private PosixSignalRegistration Register(PosixSignal signal, int code) => PosixSignalRegistration.Create(signal, context =>
    {
        if (Interlocked.CompareExchange(ref _exitCode, code, 0) == 0)
        {
            context.Cancel = true;
            _stop.Cancel();
        }
    });
}
