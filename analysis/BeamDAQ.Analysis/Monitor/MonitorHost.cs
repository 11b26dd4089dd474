using BeamDAQ.Analysis.Monitor.Fits;
using BeamDAQ.Analysis.Monitor.Ingest;
using BeamDAQ.Analysis.Monitor.Live;
using BeamDAQ.Analysis.Monitor.Web;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Analysis.Monitor;

/// <summary>
/// The live monitor as one object: subscribers (one thread per publisher) → bounded queue → the shared analysis
/// pipeline → live state ← fit thread (→ <c>fit</c> publisher); live state → update broadcaster → browsers.
/// Started and stopped as a whole; tests start it on free ports and restart it.
/// </summary>
public sealed class MonitorHost : IAsyncDisposable
{
    private readonly ZmqContext _context;
    private readonly IngestQueue _queue;
    private readonly PipelineThread _pipeline;
    private readonly MonitorSink _sink;
    private readonly List<SubscriberThread> _subscribers = [];
    private readonly FitPublisher? _publisher;
    private readonly FitScheduler _fits;
    private readonly UpdateBroadcaster _broadcaster;
    private readonly MonitorWebHost _web;
    private readonly ILogger? _log;
    private bool _stopped;

    private MonitorHost(MonitorSettings settings, ILogger? log, IClock? clock)
    {
        settings.Validate();
        _log = log;
        Settings = settings;
        State = new LiveState(settings, clock);
        _context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        try
        {
            _queue = new IngestQueue(settings.QueueCapacity);
            _sink = new MonitorSink(State, log);
            Pipeline = new EventPipeline(settings.Features, [_sink], log);
            _pipeline = new PipelineThread(_queue, Pipeline, log);
            if (settings.Publish is { } publish) _publisher = new FitPublisher(_context, publish);
            _fits = new FitScheduler(State, _publisher, log);
            RunControlProxy? runControl = settings.Token is { } token
                ? new RunControlProxy(_context, settings.Control ?? RunControlProxy.DefaultEndpoint, token, TimeSpan.FromSeconds(3))
                : null;
            _broadcaster = new UpdateBroadcaster(State, Diagnostics, runControl is not null, log);
            _web = new MonitorWebHost(settings.Http, State, _broadcaster, runControl, settings.Token, log);
            foreach (string address in settings.Connect)
                _subscribers.Add(new SubscriberThread(_context, address, _queue, log));
        }
        catch
        {
            foreach (var subscriber in _subscribers) subscriber.Dispose();
            _publisher?.Dispose();
            _context.Dispose();
            throw;
        }
    }

    public MonitorSettings Settings { get; }
    public LiveState State { get; }
    public EventPipeline Pipeline { get; }
    public FitScheduler Fits => _fits;
    public UpdateBroadcaster Broadcaster => _broadcaster;

    /// <summary>The page's address, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public string HttpAddress => _web.Address;

    /// <summary>Where fits are published (port resolved), or null.</summary>
    public string? PublishEndpoint => _publisher?.Endpoint;

    /// <summary>Builds and starts everything; a port in use or a bad address fails here, with nothing left running.</summary>
    public static async Task<MonitorHost> StartAsync(MonitorSettings settings, ILogger? log = null, IClock? clock = null, CancellationToken cancellation = default)
    {
        var host = new MonitorHost(settings, log, clock);
        try
        {
            host._pipeline.Start();
            host._fits.Start();
            host._broadcaster.Start();
            await host._web.StartAsync(cancellation).ConfigureAwait(false);
            foreach (var subscriber in host._subscribers) subscriber.Start();
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        log?.Information("Monitor on {Http}; subscribed to {Connect}; fits published on {Publish}",
            host.HttpAddress, string.Join(", ", settings.Connect), host.PublishEndpoint ?? "(not published)");
        return host;
    }

    /// <summary>The counters outside the live state, read without locks.</summary>
    public MonitorDiagnostics Diagnostics()
    {
        var now = DateTimeOffset.UtcNow;
        var counters = Pipeline.Counters;
        return new MonitorDiagnostics
        {
            Connections = _subscribers.Select(s => new ConnectionPart(s.Address, s.Received, s.MissedEvents, s.MissedOthers, s.Malformed, s.Resets,
                s.LastMessage is { } last ? (now - last).TotalSeconds : null)).ToList(),
            MissedEvents = _subscribers.Sum(s => s.MissedEvents),
            DroppedEvents = _queue.DroppedEvents,
            Queued = _queue.QueuedEvents,
            Malformed = _subscribers.Sum(s => s.Malformed),
            PublisherRestarts = _subscribers.Sum(s => s.Resets),
            Undecodable = Interlocked.Read(ref counters.Undecodable),
            BadMessages = _sink.BadMessages,
            TriggerGaps = Interlocked.Read(ref counters.TriggerGaps),
            SinkFailures = Interlocked.Read(ref counters.SinkFailures),
            Fits = _fits.Fits,
            FitFailures = _fits.FailedFits,
            FitsPublished = _publisher?.Published ?? 0,
            LastFitMs = _fits.Fits > 0 ? _fits.LastFitMilliseconds : null,
        };
    }

    /// <summary>Stops the web side first (browsers see the connection close and start reconnecting), then the rest.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            await _web.StopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
        _broadcaster.Dispose();
        foreach (var subscriber in _subscribers) subscriber.Dispose();
        _pipeline.Dispose();
        _fits.Dispose();
        _publisher?.Dispose();
        _queue.Dispose();
        _context.Dispose();
        _log?.Information("Monitor stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _web.DisposeAsync().ConfigureAwait(false);
    }
}
