using System.Net;
using System.Net.Sockets;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>Ports on 127.0.0.1 that are free now (held together while choosing, so they are distinct).</summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var l in listeners) l.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}
