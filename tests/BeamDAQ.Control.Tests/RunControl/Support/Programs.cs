using System.Net;
using System.Net.Sockets;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Control.Tests.RunControl.Support;

/// <summary>Where the built programs are, and free TCP ports on 127.0.0.1 for them.</summary>
public static class Programs
{
    /// <summary>The configuration this test assembly was built in (the programs must be built the same way).</summary>
    public static string Configuration { get; } = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    /// <summary>beamdaq-control, built with this test project (a project reference).</summary>
    public static string Control => Path.Combine(AppContext.BaseDirectory, "beamdaq-control.dll");

    public static string Daq => Built("daq/BeamDAQ.Daq", "beamdaq-daq.dll");

    public static string Analysis => Built("analysis/BeamDAQ.Analysis", "beamdaq-analysis.dll");

    /// <summary>A program built by its own project (no project reference from here): fails saying how to build it.</summary>
    private static string Built(string project, string dll)
    {
        string path = Path.Combine(Repository.Root, project, "bin", Configuration, "net10.0", dll);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"{dll} is not built: run `dotnet build {project} -c {Configuration}` in {Repository.Root} first (run-scripts/test.sh does)", path);
        return path;
    }

    /// <summary>A port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string FreeEndpoint() => $"tcp://127.0.0.1:{FreePort()}";

    /// <summary><paramref name="count"/> consecutive free ports (the facility's devices sit on base + 0..4).</summary>
    public static int FreePortRange(int count)
    {
        var random = new Random();
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int first = random.Next(20_000, 60_000);
            var listeners = new List<TcpListener>();
            try
            {
                for (int port = first; port < first + count; port++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    listeners.Add(listener);
                }
                return first;
            }
            catch (SocketException)
            {
            }
            finally
            {
                foreach (var listener in listeners) listener.Stop();
            }
        }
        throw new InvalidOperationException($"no {count} consecutive free ports found");
    }
}
