using System.Runtime.InteropServices;
using BeamDAQ.Protocol.Hosting;
using Serilog.Core;
using Spectre.Console;

namespace BeamDAQ.Daq.Commands;

/// <summary>
/// What a command needs from its surroundings: where human and JSON output go (stdout) and where messages and the
/// live status line go (stderr), a logger, and the operator's interrupt (Ctrl-C, SIGTERM). The program uses the
/// process's; tests pass writers, a logger and an interrupt of their own.
/// </summary>
public sealed class CommandContext
{
    private readonly CommandConsole _console;
    private readonly Func<Logger> _logger;
    private event Action? Interrupted;

    public CommandContext(TextWriter output, TextWriter error, Func<Logger>? logger = null, bool errorIsTerminal = false, bool systemSignals = false)
    {
        _console = new CommandConsole(output, error, errorIsTerminal: errorIsTerminal);
        SystemSignals = systemSignals;
        _logger = logger ?? (() => (Logger)BeamDaqLogging.Create("beamdaq-daq"));
    }

    /// <summary>The running program's: stdout, stderr, the logging convention of all BeamDAQ programs, Ctrl-C and SIGTERM.</summary>
    public static CommandContext Process => new(Console.Out, Console.Error, errorIsTerminal: !Console.IsErrorRedirected, systemSignals: true);

    public TextWriter Out => _console.Out;
    public TextWriter Error => _console.Error;

    /// <summary>Whether stderr is a terminal: the status line then rewrites itself in place.</summary>
    public bool ErrorIsTerminal => _console.ErrorIsTerminal;

    private bool SystemSignals { get; }

    public Logger CreateLogger() => _logger();

    /// <summary>
    /// Runs a command's action with the exit-code contract of DESIGN §9, reporting to <see cref="Error"/>: bad usage or
    /// configuration → 2, a failure while running → 1, each in one line naming what went wrong.
    /// </summary>
    public int Execute(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (UsageException e)
        {
            Error.WriteLine($"beamdaq-daq: {e.Message}");
            return ExitCodes.BadUsage;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            bool expected = e is Acquisition.DigitizerUnavailableException or Acquisition.RunRefusedException or Protocol.Transport.ZmqException
                or IOException or UnauthorizedAccessException or Digitizers.Hs4.Interop.LibTiePieException;
            Error.WriteLine(expected ? $"beamdaq-daq: {e.Message}" : $"beamdaq-daq: {e.GetType().Name}: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }

    /// <summary>Spectre.Console on stderr (progress bars): animated only on a terminal.</summary>
    public IAnsiConsole ErrorConsole => _console.AnsiError;

    /// <summary>
    /// Calls <paramref name="onInterrupt"/> on Ctrl-C or SIGTERM (the process keeps running so the command can end
    /// cleanly) until the returned registration is disposed.
    /// </summary>
    public IDisposable OnInterrupt(Action onInterrupt)
    {
        Interrupted += onInterrupt;
        var registrations = new List<IDisposable>();
        if (SystemSignals)
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true; // do not let the runtime end the process: the run must close its file
                    Interrupt();
                }));
        }
        return new Registration(() =>
        {
            Interrupted -= onInterrupt;
            foreach (var r in registrations) r.Dispose();
        });
    }

    /// <summary>Delivers an interrupt, as Ctrl-C would (tests).</summary>
    public void Interrupt() => Interrupted?.Invoke();

    private sealed class Registration(Action dispose) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
