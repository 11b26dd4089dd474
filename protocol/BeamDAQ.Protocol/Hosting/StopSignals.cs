using System.Runtime.InteropServices;

namespace BeamDAQ.Protocol.Hosting;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a request to stop: instead of the runtime ending the process, <see cref="Token"/>
/// is cancelled, so a long-running command (serve, monitor, facility-sim) closes its sockets, files and catalog
/// itself. Once this is disposed the signals end the process as usual.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public StopSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>Blocks until a stop is requested.</summary>
    public void Wait() => _stop.Token.WaitHandle.WaitOne();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
