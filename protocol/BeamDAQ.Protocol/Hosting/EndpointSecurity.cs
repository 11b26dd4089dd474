using System.Security.Cryptography;
using System.Text;
namespace BeamDAQ.Protocol.Hosting;

/// <summary>
/// The rule of DESIGN §1 for run-control endpoints: loopback by default; an endpoint reachable from other hosts needs
/// a shared secret, which every request carries as <c>token</c> and which is never logged or echoed. One rule for
/// every program: the daq's and the control node's run control, and the monitor's buttons.
/// </summary>
public static class EndpointSecurity
{
    /// <summary>Whether a ZeroMQ endpoint is reachable from this host only (tcp on 127.x, ::1 or localhost; ipc; inproc).</summary>
    public static bool IsLoopback(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.StartsWith("ipc://", StringComparison.Ordinal) || endpoint.StartsWith("inproc://", StringComparison.Ordinal))
            return true;
        if (!endpoint.StartsWith("tcp://", StringComparison.Ordinal))
            return false;
        string hostPort = endpoint["tcp://".Length..];
        int colon = hostPort.LastIndexOf(':');
        string host = (colon < 0 ? hostPort : hostPort[..colon]).Trim('[', ']');
        return host == "localhost" || host == "::1" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    /// <summary>The shortest token accepted: a guessable secret is no secret.</summary>
    public const int MinimumTokenLength = 8;

    /// <summary>Reads a token file: its first line, trimmed. Errors name the file, never the content.</summary>
    public static string ReadTokenFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"token file '{path}': cannot read it: {e.Message}");
        }
        string token = text.Split('\n', 2)[0].Trim();
        if (token.Length == 0)
            throw new UsageException($"token file '{path}' is empty; its first line must hold the token (at least {MinimumTokenLength} characters)");
        if (token.Length < MinimumTokenLength)
            throw new UsageException($"token file '{path}': the token (its first line) must be at least {MinimumTokenLength} characters long");
        return token;
    }

    /// <summary>Compares in constant time, so response timing does not reveal how much of a guess was right.</summary>
    public static bool TokenMatches(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    /// <summary>Checks an endpoint address: tcp://HOST:PORT, ipc://PATH or inproc://NAME.</summary>
    public static string? CheckAddress(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
            return "an endpoint such as tcp://127.0.0.1:5559";
        if (address.StartsWith("ipc://", StringComparison.Ordinal) || address.StartsWith("inproc://", StringComparison.Ordinal))
            return null;
        if (!address.StartsWith("tcp://", StringComparison.Ordinal))
            return "tcp://HOST:PORT (or ipc://PATH)";
        string hostPort = address["tcp://".Length..];
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || colon == hostPort.Length - 1)
            return "tcp://HOST:PORT with both a host and a port";
        string port = hostPort[(colon + 1)..];
        if (port != "*" && !(int.TryParse(port, out int p) && p is > 0 and <= 65535))
            return "tcp://HOST:PORT with a port 1–65535 (or * for any free port)";
        return null;
    }
}
