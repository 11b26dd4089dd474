using System.Net;
using System.Net.Sockets;

namespace BeamDAQ.Protocol.Tests.Transport.Support;

public static class Ports
{
    /// <summary>
    /// A loopback endpoint nobody listens on, for a peer that starts later. Found with a plain TCP listener that
    /// is closed synchronously: a libzmq probe socket closes on its I/O thread, and a connecting socket could
    /// reach it (and hand it a message) before it is gone.
    /// </summary>
    public static string FreeEndpoint()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"tcp://127.0.0.1:{port}";
    }
}
