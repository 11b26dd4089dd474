using System.Net;
using System.Net.Sockets;
using BeamDAQ.Daq.Commands;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>Runs <c>beamdaq-daq</c> in process with the program's exit-code contract, capturing stdout, stderr and the log.</summary>
internal sealed class CommandHarness
{
    public StringWriter Out { get; } = new();
    public StringWriter Error { get; } = new();
    public CollectingLog Log { get; } = new();
    public CommandContext Context { get; }

    public CommandHarness() => Context = new CommandContext(TextWriter.Synchronized(Out), TextWriter.Synchronized(Error), Log.CreateLogger);

    public int Run(params string[] args) => CommandLineHost.Run(DaqCommandLine.Create(Context), args);

    /// <summary>Starts the command on its own thread (for commands that run until interrupted).</summary>
    public Task<int> Start(params string[] args) => Task.Factory.StartNew(() => Run(args), TaskCreationOptions.LongRunning);

    /// <summary>A TCP port free right now on 127.0.0.1 (for commands that must be given a fixed address).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
