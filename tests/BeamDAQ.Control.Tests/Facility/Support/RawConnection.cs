using System.Net.Sockets;
using System.Text;
using BeamDAQ.Control.Facility;

namespace BeamDAQ.Control.Tests.Facility.Support;

/// <summary>
/// A bare TCP connection to a simulated device, independent of the slow-control clients, for testing the
/// device protocols themselves. Every read has a bounded deadline.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    public static readonly TimeSpan ReadDeadline = TimeSpan.FromSeconds(5);

    private readonly TcpClient client;
    private readonly NetworkStream stream;
    private readonly StreamReader reader;

    private RawConnection(TcpClient client)
    {
        this.client = client;
        stream = client.GetStream();
        reader = new StreamReader(stream, Encoding.ASCII);
    }

    public static async Task<RawConnection> OpenAsync(DeviceEndpoint endpoint)
    {
        var client = new TcpClient { NoDelay = true };
        using var timeout = new CancellationTokenSource(ReadDeadline);
        await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
        return new RawConnection(client);
    }

    public async Task SendAsync(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"));

    public async Task<string> QueryAsync(string line)
    {
        await SendAsync(line);
        return await ReadLineAsync();
    }

    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadDeadline);
        string? reply = await reader.ReadLineAsync(timeout.Token);
        return reply ?? throw new EndOfStreamException("the device closed the connection");
    }

    /// <summary>Sends a setting, then asks the error queue (SCPI devices answer settings with silence).</summary>
    public async Task<string> CommandThenErrorAsync(string line)
    {
        await SendAsync(line);
        return await QueryAsync("SYST:ERR?");
    }

    public async Task<double> QueryNumberAsync(string line) =>
        double.Parse(await QueryAsync(line), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True when the device closes the connection within the deadline.</summary>
    public async Task<bool> ClosedByPeerAsync()
    {
        using var timeout = new CancellationTokenSource(ReadDeadline);
        try
        {
            return await reader.ReadLineAsync(timeout.Token) is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
