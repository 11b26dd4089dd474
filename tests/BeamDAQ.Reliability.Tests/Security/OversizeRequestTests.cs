using BeamDAQ.Protocol.Transport;
using BeamDAQ.Reliability.Tests.Support;

namespace BeamDAQ.Reliability.Tests.Security;

/// <summary>
/// A run-control endpoint accepts connections before any token is checked, so the size of what a peer may send it is
/// bounded by the socket, not by the decoder: a 200 MiB request is cut off by libzmq from its declared size, without
/// being buffered, and the front end keeps answering.
/// </summary>
public sealed class OversizeRequestTests
{
    [Fact]
    public void WhenAPeerSendsAHugeRequestToRunControlThenItIsDroppedWithoutBeingBufferedAndTheDaqKeepsServing()
    {
        using var dir = new TempDirectory();
        using var daq = DaqServer.Start(dir.Path, "simulator:\n  pacing: max\n");
        using (var warmup = new RunControlClient(daq.ControlEndpoint))
            Assert.True(RunControlClient.Ok(warmup.Send("ping")));
        long peakBefore = PeakResidentBytes(daq.Program.Id);

        using (var context = new ZmqContext())
        using (var attacker = context.CreateSocket(ZmqSocketType.Req))
        {
            attacker.Linger = TimeSpan.Zero;
            attacker.Connect(daq.ControlEndpoint);
            var huge = new byte[200 << 20];
            new Random(1).NextBytes(huge.AsSpan(0, 4096));
            attacker.Send(huge);
            // The request never gets a reply: the server drops the connection instead of reading it.
            var frames = new List<byte[]>();
            Assert.False(attacker.TryReceiveMultipart(frames, TimeSpan.FromSeconds(3)), "the oversize request was answered, so it was read whole");
        }

        using var client = new RunControlClient(daq.ControlEndpoint);
        Assert.True(RunControlClient.Ok(client.Send("ping")), "the daq stopped answering after the oversize request");
        long grown = PeakResidentBytes(daq.Program.Id) - peakBefore;
        Assert.True(grown < 64L << 20, $"the daq's peak memory grew by {grown >> 20} MiB receiving a 200 MiB request");
    }

    private static long PeakResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"no VmHWM for {pid}");
    }
}
