using BeamDAQ.Analysis.Monitor;
using BeamDAQ.Analysis.Fitting;
using BeamDAQ.Analysis.Offline;

namespace BeamDAQ.Monitor.Tests.Support;

/// <summary>
/// A real monitor (ZeroMQ subscriber, pipeline, fit thread, Kestrel on a free port) fed by its own
/// <see cref="TestPublisher"/>. <see cref="StartAsync"/> returns once the subscription is live (ZeroMQ drops
/// what a publisher sends before a subscriber has joined, so the first events must wait for that).
/// </summary>
public sealed class TestMonitor : IAsyncDisposable
{
    private TestMonitor(TestPublisher publisher, MonitorHost host, MonitorSettings settings)
    {
        Publisher = publisher;
        Host = host;
        Settings = settings;
    }

    public TestPublisher Publisher { get; }
    public MonitorHost Host { get; private set; }
    public MonitorSettings Settings { get; private set; }
    public string Url => Host.HttpAddress;
    public SyntheticEvents Events { get; } = new(seed: 7);
    public ulong NextTrigger { get; set; } = 1;

    /// <summary>
    /// The production fit without restarts and without the profile interval: the same model and minimiser, but a
    /// spectrum the minimiser finds hard costs one attempt, not four, so the tests stay short.
    /// </summary>
    public static FitOptions FastFit { get; } =
        ((MultiplicitySpectrumFitter)SpectrumFitters.Create(null)).Options with { Restarts = 0, ProfileInterval = false };

    public static MonitorSettings DefaultSettings(string connect, string http = "127.0.0.1:0") => new()
    {
        Connect = [connect],
        Http = http,
        Publish = "tcp://127.0.0.1:*",
        FitInterval = TimeSpan.FromMilliseconds(300),
        TrendBunches = 200,
        Fit = FastFit,
        PushInterval = TimeSpan.FromMilliseconds(50),
    };

    public static async Task<TestMonitor> StartAsync(Func<MonitorSettings, MonitorSettings>? adjust = null)
    {
        var publisher = new TestPublisher();
        var settings = DefaultSettings(publisher.Endpoint);
        if (adjust is not null) settings = adjust(settings);
        var host = await MonitorHost.StartAsync(settings);
        var monitor = new TestMonitor(publisher, host, settings);
        await monitor.WaitSubscribedAsync();
        return monitor;
    }

    /// <summary>Publishes heartbeats until the monitor has received one: from then on nothing is lost to the join.</summary>
    public async Task WaitSubscribedAsync()
    {
        await Eventually.True(() => Host.State.Read(s => s.DaqStatus is not null), "the monitor's subscription to join",
            meanwhile: () => Publisher.Status(null, 0, state: "Configured"));
    }

    /// <summary>Publishes <paramref name="count"/> events of multiplicity <paramref name="lambda"/> (paced so the SUB queue never overflows).</summary>
    public async Task PublishEventsAsync(uint run, int count, double lambda, int channels = 1, int perBatch = 200)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(Publisher.Event(Events.Next(run, NextTrigger++, TestPublisher.Now, lambda, channels)), "the test publisher dropped an event");
            if ((i + 1) % perBatch == 0) await Task.Delay(10);
        }
    }

    /// <summary>Stops the host and starts a new one on the same HTTP port (the browser's view of a restart).</summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        var port = new Uri(Host.HttpAddress).Port;
        await Host.DisposeAsync();
        if (whileDown is not null) await whileDown();
        Settings = Settings with { Http = "127.0.0.1:" + port };
        Host = await MonitorHost.StartAsync(Settings);
        await WaitSubscribedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Publisher.Dispose();
    }
}
