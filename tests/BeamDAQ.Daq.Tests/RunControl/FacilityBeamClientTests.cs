using System.Net;
using System.Net.Sockets;
using System.Text;
using BeamDAQ.Daq.Digitizers.Simulation.Beam;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Tests.RunControl;

/// <summary>
/// <c>serve --beam HOST:PORT</c>: λ for the simulator from the facility's beam port over real TCP, never blocking the
/// bunch loop, keeping the last λ when the port goes silent.
/// </summary>
public sealed class FacilityBeamClientTests
{
    [Fact]
    public void WhenTheBeamPortAnswersThenTheSimulatorSeesItsLambdaAndFollowsChanges()
    {
        using var port = new FakeBeamPort("2.800000E+00");
        using var log = new CollectingLog().CreateLogger();
        using var client = new FacilityBeamClient("127.0.0.1", port.Port, initialLambda: 0.5, log, refresh: TimeSpan.FromMilliseconds(20));

        Assert.True(client.WaitForFirstReading(TimeSpan.FromSeconds(10)));
        Assert.Equal(2.8, client.MeanElectronsPerBunch(DateTimeOffset.UnixEpoch));
        port.Answer = "8.7";
        Eventually.True(() => client.Lambda == 8.7, "λ follows the beam port");
        Assert.Contains(FacilityBeamClient.LambdaQuery, port.Queries);
    }

    [Fact]
    public void WhenTheBeamPortGoesSilentThenTheLastLambdaIsKeptAndTheMissesAreCounted()
    {
        var port = new FakeBeamPort("3.5");
        var collected = new CollectingLog();
        using var log = collected.CreateLogger();
        using var client = new FacilityBeamClient("127.0.0.1", port.Port, initialLambda: 0.5, log, refresh: TimeSpan.FromMilliseconds(20), timeout: TimeSpan.FromMilliseconds(200));
        Assert.True(client.WaitForFirstReading(TimeSpan.FromSeconds(10)));

        // On a loaded machine the first connection may already have timed out once (logged as keeping the initial
        // λ = 0.5): what counts is the failure after the port went silent, which keeps the λ it had read.
        long failuresBefore = client.Failures;
        port.Dispose();
        // The failure is counted just before it is logged: wait for both.
        Eventually.True(() => client.Failures > failuresBefore && collected.Messages.Any(m => m.Contains("keeping λ = 3.5", StringComparison.Ordinal)),
            "the failure after the port went silent is counted and logged with the last λ");
        Assert.Equal(3.5, client.Lambda);
    }

    [Fact]
    public void WhenTheAnswerIsNotALambdaThenItIsCountedAndTheConfiguredLambdaStands()
    {
        using var port = new FakeBeamPort("-1");
        using var log = new CollectingLog().CreateLogger();
        using var client = new FacilityBeamClient("127.0.0.1", port.Port, initialLambda: 2.2, log, refresh: TimeSpan.FromMilliseconds(20));
        Eventually.True(() => client.Failures > 0, "the bad answer is counted");
        Assert.Equal(2.2, client.Lambda);
        Assert.Contains("not a λ", client.LastError);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:99999")]
    public void WhenTheAddressIsNotHostColonPortThenItIsBadUsage(string address)
    {
        var e = Assert.Throws<UsageException>(() => FacilityBeamClient.ParseAddress(address));
        Assert.Contains("HOST:PORT", e.Message);
    }

    /// <summary>A beam port on a real socket that answers every line with <see cref="Answer"/>.</summary>
    private sealed class FakeBeamPort : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _clients = [];

        public FakeBeamPort(string answer)
        {
            Answer = answer;
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public volatile string Answer;
        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public List<string> Queries { get; } = [];

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    lock (_clients) _clients.Add(client);
                    _ = Task.Run(() => ServeAsync(client));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            try
            {
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                var stream = client.GetStream();
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    lock (Queries) Queries.Add(line);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(Answer + "\n"), _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_clients) foreach (var c in _clients) c.Dispose();
        }
    }
}
