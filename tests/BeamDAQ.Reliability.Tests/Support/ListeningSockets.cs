using System.Globalization;
using System.Net;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>A TCP socket a process listens on.</summary>
public sealed record ListeningSocket(IPAddress Address, int Port)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public override string ToString() => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}

/// <summary>
/// The TCP sockets a process listens on, read the way <c>ss -ltnp</c> does: the socket inodes among
/// <c>/proc/PID/fd</c>, matched against the LISTEN entries of <c>/proc/PID/net/tcp</c> and <c>tcp6</c> (the
/// process's own network namespace).
/// </summary>
public static class ListeningSockets
{
    public static IReadOnlyList<ListeningSocket> Of(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(target["socket:[".Length..^1]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var sockets = new List<ListeningSocket>();
        foreach (var (table, v6) in new[] { ("tcp", false), ("tcp6", true) })
        {
            string path = $"/proc/{pid}/net/{table}";
            if (!File.Exists(path)) continue;
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (fields.Length < 10 || fields[3] != "0A" || !inodes.Contains(fields[9])) continue;
                var parts = fields[1].Split(':');
                sockets.Add(new ListeningSocket(ParseAddress(parts[0], v6), int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }
        }
        return sockets;
    }

    /// <summary>/proc/net/tcp writes each 32-bit word of the address in host (little-endian) order.</summary>
    private static IPAddress ParseAddress(string hex, bool v6)
    {
        var bytes = new byte[v6 ? 16 : 4];
        for (int word = 0; word < bytes.Length / 4; word++)
        {
            uint value = uint.Parse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }
        return new IPAddress(bytes);
    }
}
