using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BeamDAQ.Control.SlowControl.Transport;
using Serilog;

namespace BeamDAQ.Control.Facility.Server;

/// <summary>
/// One simulated device's TCP port: accepts any number of connections, reads '\n'-terminated commands,
/// hands each to the device's <see cref="ILineProtocol"/> and writes its reply line. Faults for tests:
/// <see cref="Unresponsive"/> (the device hangs: commands are read but never answered), <see cref="DropConnections"/>
/// (the device resets its sockets) and <see cref="Pause"/>/<see cref="Resume"/> (the device is switched off).
/// </summary>
public sealed class LineServer : IAsyncDisposable
{
    public const int MaxLineLength = 4096;

    private readonly ILineProtocol protocol;
    private readonly ILogger log;
    private readonly IPAddress address;
    private readonly ConcurrentDictionary<long, Socket> connections = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> tasks = [];
    private Socket? listener;
    private int port;
    private long nextConnectionId;
    private long commandsHandled;
    private long linesTooLong;
    private volatile bool unresponsive;

    public LineServer(string name, ILineProtocol protocol, IPAddress address, int port, ILogger log)
    {
        Name = name;
        this.protocol = protocol;
        this.address = address;
        this.port = port;
        this.log = log.ForContext("Device", name);
    }

    public string Name { get; }

    /// <summary>The bound address (the real port when 0 was asked for); valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);

    public long CommandsHandled => Interlocked.Read(ref commandsHandled);
    public long LinesTooLong => Interlocked.Read(ref linesTooLong);
    public int OpenConnections => connections.Count;

    /// <summary>Fault: commands are read and logged but never answered, as a hung device would.</summary>
    public bool Unresponsive
    {
        get => unresponsive;
        set
        {
            unresponsive = value;
            log.Warning("{Device}: fault {State}", Name, value ? "injected: not answering" : "cleared: answering again");
        }
    }

    public void Start()
    {
        if (listener is not null)
            return;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Rebinding the same port after Pause must not wait for TIME_WAIT connections to expire.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(16);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        listener = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        port = LocalEndPoint.Port; // a later Resume binds the same port
        lock (tasks)
            tasks.Add(Task.Run(() => AcceptLoopAsync(socket)));
    }

    /// <summary>Fault: the device goes away — listener closed, connections reset; clients get 'connection refused'.</summary>
    public void Pause()
    {
        var socket = Interlocked.Exchange(ref listener, null);
        socket?.Dispose();
        DropConnections();
        log.Warning("{Device}: switched off (port {Port} closed)", Name, port);
    }

    /// <summary>The device comes back on the same port.</summary>
    public void Resume()
    {
        Start();
        log.Warning("{Device}: switched on again on {Endpoint}", Name, LocalEndPoint);
    }

    /// <summary>Fault: closes every open connection (the device rebooted its network stack).</summary>
    public void DropConnections()
    {
        foreach (var (id, socket) in connections)
        {
            if (connections.TryRemove(id, out _))
            {
                try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
                socket.Dispose();
            }
        }
    }

    private async Task AcceptLoopAsync(Socket socket)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return; // stopped or paused
            }
            client.NoDelay = true;
            long id = Interlocked.Increment(ref nextConnectionId);
            connections[id] = client;
            log.Debug("{Device}: connection {Id} from {Remote}", Name, id, client.RemoteEndPoint);
            lock (tasks)
            {
                tasks.RemoveAll(t => t.IsCompleted);
                tasks.Add(Task.Run(() => ServeAsync(id, client)));
            }
        }
    }

    private async Task ServeAsync(long id, Socket client)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            var reader = new AsciiLineReader(stream, MaxLineLength);
            while (!stopping.IsCancellationRequested)
            {
                string? line = await reader.ReadLineAsync(stopping.Token).ConfigureAwait(false);
                if (line is null)
                    break;
                Interlocked.Increment(ref commandsHandled);
                if (unresponsive)
                {
                    log.Debug("{Device} <- {Command} (not answering: fault injected)", Name, line);
                    continue;
                }
                string? reply = protocol.Handle(line);
                // Queries are the bulk of the traffic (the poller); settings are what an operator wants to see.
                if (line.Contains('?'))
                    log.Debug("{Device} <- {Command} -> {Reply}", Name, line, reply ?? "(no reply)");
                else
                    log.Information("{Device} <- {Command}{Reply}", Name, line, reply is null ? "" : " -> " + reply);
                if (reply is not null)
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\n"), stopping.Token).ConfigureAwait(false);
            }
        }
        catch (LineTooLongException e)
        {
            Interlocked.Increment(ref linesTooLong);
            log.Warning("{Device}: closing connection {Id}: {Problem}", Name, id, e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or we are stopping: nothing to answer.
        }
        finally
        {
            if (connections.TryRemove(id, out _))
                client.Dispose();
            log.Debug("{Device}: connection {Id} closed", Name, id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
            return;
        stopping.Cancel();
        Interlocked.Exchange(ref listener, null)?.Dispose();
        DropConnections();
        Task[] pending;
        lock (tasks)
            pending = tasks.ToArray();
        await Task.WhenAll(pending).ConfigureAwait(false);
        stopping.Dispose();
    }
}
