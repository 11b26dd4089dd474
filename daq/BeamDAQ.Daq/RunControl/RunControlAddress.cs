using System.Net;

namespace BeamDAQ.Daq.RunControl;

/// <summary>Whether a ZeroMQ bind address can be reached from other machines (then run control requires a token).</summary>
public static class RunControlAddress
{
    /// <summary>
    /// True for <c>tcp://127.x.x.x:PORT</c>, <c>tcp://localhost:PORT</c>, <c>tcp://[::1]:PORT</c> and the host-local
    /// transports <c>ipc://</c> and <c>inproc://</c>; false for every other interface, <c>*</c> and <c>0.0.0.0</c>.
    /// </summary>
    public static bool IsLoopback(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.StartsWith("ipc://", StringComparison.Ordinal) || address.StartsWith("inproc://", StringComparison.Ordinal)) return true;
        if (!address.StartsWith("tcp://", StringComparison.Ordinal)) return false;
        string hostAndPort = address["tcp://".Length..];
        int colon = hostAndPort.LastIndexOf(':');
        string host = colon < 0 ? hostAndPort : hostAndPort[..colon];
        host = host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
