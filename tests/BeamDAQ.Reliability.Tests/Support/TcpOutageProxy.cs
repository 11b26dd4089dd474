using System.Net;
using System.Net.Sockets;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 between a node and the endpoint it connects to, which can make the endpoint unreachable
/// and bring it back: <see cref="Cut"/> resets every relayed connection and refuses new ones (as a pulled cable or a
/// rebooting switch would), <see cref="Restore"/> accepts again. ZeroMQ then has to reconnect on its own.
/// </summary>
public sealed class TcpOutageProxy : IDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource _accepting = new();

    public TcpOutageProxy(string upstreamEndpoint)
    {
        var uri = new Uri(upstreamEndpoint.Replace("tcp://", "http://", StringComparison.Ordinal));
        _upstream = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
        Port = FreePorts.Take(1)[0];
        Restore();
    }

    public int Port { get; }

    /// <summary>The endpoint the node connects to instead of the real one.</summary>
    public string Endpoint => $"tcp://127.0.0.1:{Port}";

    /// <summary>Connections relayed so far (a reconnect adds one).</summary>
    public int ConnectionsAccepted { get; private set; }

    public bool IsCut { get; private set; }

    public void Cut()
    {
        lock (_gate)
        {
            IsCut = true;
            _accepting.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var connection in _connections)
            {
                // RST, not FIN: the peer sees a broken connection, as when a link goes down. A pump may have closed it already.
                try { if (connection.Client is { } socket) socket.LingerState = new LingerOption(true, 0); }
                catch (Exception e) when (e is ObjectDisposedException or SocketException) { }
                connection.Dispose();
            }
            _connections.Clear();
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _accepting = new CancellationTokenSource();
            IsCut = false;
            var token = _accepting.Token;
            _ = Task.Run(() => AcceptAsync(listener, token));
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            TcpClient downstream;
            try { downstream = await listener.AcceptTcpClientAsync(token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            var upstream = new TcpClient();
            try { await upstream.ConnectAsync(_upstream, token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                downstream.Dispose();
                upstream.Dispose();
                continue;
            }
            lock (_gate)
            {
                if (IsCut)
                {
                    downstream.Dispose();
                    upstream.Dispose();
                    return;
                }
                _connections.Add(downstream);
                _connections.Add(upstream);
                ConnectionsAccepted++;
            }
            _ = Pump(downstream, upstream);
            _ = Pump(upstream, downstream);
        }
    }

    private async Task Pump(TcpClient from, TcpClient to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                int read = await source.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0) break;
                await target.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        from.Dispose();
        to.Dispose();
    }

    public void Dispose() => Cut();
}
