using System.Collections.Concurrent;
using BeamDAQ.Control.Alarms;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.RunControl.Orchestration;
using BeamDAQ.Control.RunControl.Recorders;
using BeamDAQ.Control.RunControl.Server;
using BeamDAQ.Control.RunControl.Settings;
using BeamDAQ.Control.RunControl.State;
using BeamDAQ.Control.RunControl.Subscriptions;
using BeamDAQ.Control.RunControl.Supervision;
using BeamDAQ.Control.SlowControl;
using BeamDAQ.Control.SlowControl.Polling;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Control.RunControl.Node;

/// <summary>
/// The control node of <c>beamdaq-control serve</c>, assembled: catalog, front-end client and listener, facility slow
/// control with its alarms, the analysis's fits, the run controller, the command endpoint and the supervision loop.
/// <see cref="Start"/> reconciles with the front end first (a run it kept recording is adopted), then serves.
/// </summary>
public sealed class ControlNode : IAsyncDisposable
{
    private readonly ControlNodeOptions _options;
    private readonly ILogger _log;
    private readonly ZmqContext _context;
    private readonly IRunCatalog _catalog;
    private readonly EventPublisher? _publisher;
    private readonly DaqClient _daq;
    private readonly SlowControlDevices? _devices;
    private readonly SlowControlPoller? _poller;
    private readonly AlarmEngine _alarms;
    private readonly SlowControlRecorder _readings;
    private readonly AlarmRecorder _alarmRecorder;
    private readonly FitRecorder _fits;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly List<TopicListener> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly BlockingCollection<Action> _frontEndMessages = new(boundedCapacity: 10_000);
    private Thread? _frontEndWorker;
    private ReplyServer? _server;
    private ControlRequestHandler? _handler;
    private Task? _pollerTask;
    private Thread? _supervision;

    private ControlNode(ControlNodeOptions options, IClock clock, ILogger log)
    {
        _options = options;
        _log = log.ForContext("Component", "control-node");
        var disposables = new Stack<IDisposable>();
        try
        {
            _context = new ZmqContext();
            disposables.Push(_context);
            _catalog = RunCatalog.Open(options.Catalog, RunCatalogOptions.Default with { Clock = clock });
            disposables.Push(_catalog);
            if (options.PublishAddress is { } publish)
            {
                _publisher = new EventPublisher(_context, publish);
                disposables.Push(_publisher);
            }
            _daq = new DaqClient(_context, options.Daq);
            disposables.Push(_daq);

            var rules = AlarmRuleSet.FromConfig(options.FacilityConfig.Alarms).Append(new FrontEndContactRule());
            _alarms = new AlarmEngine(rules, clock, log.ForContext("Component", "alarms"));
            _readings = new SlowControlRecorder(_catalog, _publisher, () => Controller?.CurrentRun, options.IdleStoreInterval, log);
            _alarmRecorder = new AlarmRecorder(_catalog, _publisher, () => Controller?.CurrentRun, log);
            _fits = new FitRecorder(_catalog, log.ForContext("Component", "fits"));
            _subscriptions.Add(_alarms.Subscribe(_alarmRecorder.OnTransition));

            IFacilityReader? facility = null;
            if (options.Facility is { } endpoints)
            {
                _devices = SlowControlDevices.Create(options.FacilityConfig, endpoints, clock, log.ForContext("Component", "slow-control"));
                _poller = _devices.CreatePoller();
                _subscriptions.Add(_poller.Subscribe(_readings));
                _subscriptions.Add(_poller.Subscribe(_alarms));
                facility = new FacilityReader(_devices, options.RunControl.Detector);
            }
            Controller = new RunController(_catalog, _daq, facility, _alarms, _readings, clock, log, options.RunControl);
            Controller.StateChanged += PublishState;
        }
        catch
        {
            while (disposables.Count > 0) disposables.Pop().Dispose();
            throw;
        }
    }

    public RunController Controller { get; }
    public IRunCatalog Catalog => _catalog;

    /// <summary>The bound command endpoint (port resolved); valid after <see cref="Start"/>.</summary>
    public string? Endpoint => _server?.Endpoint;
    public string? PublishEndpoint => _publisher?.Endpoint;

    public SlowControlRecorder Readings => _readings;
    public FitRecorder Fits => _fits;
    public AlarmEngine Alarms => _alarms;

    /// <summary>Builds and starts a node; <see cref="UsageException"/> for a non-loopback endpoint without a token.</summary>
    public static ControlNode Start(ControlNodeOptions options, IClock clock, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!EndpointSecurity.IsLoopback(options.ListenAddress) && options.ListenToken is null)
            throw new UsageException($"--listen {options.ListenAddress} is reachable from other hosts: give --token-file F (or listen.token_file) with a shared token");
        var node = new ControlNode(options, clock, log);
        try
        {
            node.Run();
        }
        catch
        {
            node.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return node;
    }

    private void Run()
    {
        _log.Information("control node: catalog {Catalog} (schema {Version}), front end {Daq} (PUB {DaqPublish}), fits from {Analysis}, facility {Facility}",
            _catalog.Location, _catalog.SchemaVersion, _options.Daq.Endpoint, _options.DaqPublishAddress,
            _options.AnalysisPublishAddress ?? "(none)", _options.Facility?.ToString() ?? "(none)");

        // The front end's word first: a run it kept recording while this node was down is adopted before anything else.
        _log.Information("control node: {Reconcile}", Controller.Reconcile());

        // The front end's messages are handled on a thread of their own: the listener must keep receiving (a run.end
        // a stop is waiting for) while run control is busy with a long start or stop.
        _frontEndWorker = new Thread(HandleFrontEndMessages) { IsBackground = true, Name = "run-control front-end messages" };
        _frontEndWorker.Start();
        var daqListener = new TopicListener(_context, "daq", _options.DaqPublishAddress,
            [Topics.DaqStatus, Topics.Alarm, Topics.RunBegin, Topics.RunEnd], OnDaqMessage, _log);
        _listeners.Add(daqListener);
        daqListener.Start();
        if (_options.AnalysisPublishAddress is { } analysis)
        {
            var fitListener = new TopicListener(_context, "analysis", analysis, [Topics.Fit], (_, map) => _fits.OnFit(map), _log);
            _listeners.Add(fitListener);
            fitListener.Start();
        }
        if (_poller is not null)
            _pollerTask = Task.Run(() => _poller.RunAsync(_stopping.Token));

        _handler = new ControlRequestHandler(Controller, EndpointSecurity.IsLoopback(_options.ListenAddress) ? null : _options.ListenToken,
            _log, NodeStatus);
        _server = new ReplyServer(_context, _options.ListenAddress, _handler.Handle);
        _server.Start();
        _supervision = new Thread(Supervise) { IsBackground = true, Name = "run-control supervision" };
        _supervision.Start();
        _log.Information("control node: listening on {Endpoint}{Token}, publishing on {Publish}", _server.Endpoint,
            EndpointSecurity.IsLoopback(_options.ListenAddress) ? "" : " (token required)", _publisher?.Endpoint ?? "(nothing)");
    }

    /// <summary>On the listener's thread: decode (a bad map is counted there) and queue; never wait for run control.</summary>
    private void OnDaqMessage(string topic, IReadOnlyDictionary<string, object?> map)
    {
        Action? handle = null;
        switch (topic)
        {
            case Topics.DaqStatus:
                var status = DaqStatusMessage.FromMap(map);
                handle = () => Controller.OnDaqStatus(status);
                break;
            case Topics.Alarm:
                var alarm = AlarmMessage.FromMap(map);
                handle = () => _alarmRecorder.OnDaqAlarm(alarm);
                break;
            case Topics.RunBegin:
                var begin = RunBeginMessage.FromMap(map);
                handle = () => Controller.OnDaqRunBegin(begin);
                break;
            case Topics.RunEnd:
                var end = RunEndMessage.FromMap(map);
                Controller.PostRunEnd(end);
                handle = () => Controller.OnDaqRunEnd(end);
                break;
        }
        if (handle is not null && !_frontEndMessages.TryAdd(handle))
            _log.Warning("control node: front-end message '{Topic}' dropped: {Count} still waiting for run control", topic, _frontEndMessages.Count);
    }

    private void HandleFrontEndMessages()
    {
        try
        {
            foreach (var handle in _frontEndMessages.GetConsumingEnumerable(_stopping.Token))
            {
                try
                {
                    handle();
                }
                catch (Exception e)
                {
                    _log.Error(e, "control node: handling a front-end message failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Supervise()
    {
        var token = _stopping.Token;
        while (!token.WaitHandle.WaitOne(_options.SupervisionInterval))
        {
            try
            {
                Controller.Supervise();
                _alarms.Tick();
                _readings.Flush();
            }
            catch (Exception e)
            {
                // A bug in one check must not end supervision of the run.
                _log.Error(e, "control node: supervision step failed");
            }
        }
    }

    private void PublishState(StateTransition transition)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["t_ns"] = (transition.At - DateTimeOffset.UnixEpoch).Ticks * 100,
            ["state"] = transition.To.ToString(),
            ["from"] = transition.From.ToString(),
            ["run"] = transition.Run,
            ["reason"] = transition.Reason,
        };
        _publisher?.Publish(RunStateTopic, map);
    }

    /// <summary>The control node's topic for state changes (beside <c>sc</c> and <c>alarm</c>).</summary>
    public const string RunStateTopic = "run.state";

    private IDictionary<string, object?> NodeStatus()
    {
        var status = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["catalog"] = _catalog.Location,
            ["alarms"] = _alarms.Active.Select(a => (object?)new Dictionary<string, object?>
            {
                ["code"] = a.Code,
                ["source"] = a.Source,
                ["severity"] = a.Severity.ToWire(),
                ["message"] = a.Message,
                ["since"] = CatalogTime.ToText(a.RaisedAt),
            }).ToList(),
            ["fits_stored"] = _fits.Stored,
            ["fits_rejected"] = _fits.Rejected,
            ["readings_stored"] = _readings.Stored,
            ["readings_lost"] = _readings.Lost,
            ["alarms_stored"] = _alarmRecorder.Stored,
        };
        if (_poller is not null)
            status["devices"] = _poller.Online.ToDictionary(d => d.Key, d => (object?)(d.Value ? "online" : "lost"));
        foreach (var listener in _listeners)
            status[$"{listener.Name}_messages"] = new Dictionary<string, object?>
            {
                ["delivered"] = listener.Delivered,
                ["missed"] = listener.Missed,
                ["malformed"] = listener.Malformed + listener.Undecodable,
                ["failed"] = listener.HandlerFailures,
            };
        return status;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _supervision?.Join();
        _server?.Dispose();
        foreach (var listener in _listeners) listener.Dispose();
        _frontEndWorker?.Join();
        _frontEndMessages.Dispose();
        if (_pollerTask is not null)
        {
            try { await _pollerTask.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        foreach (var subscription in _subscriptions) subscription.Dispose();
        if (_poller is not null) await _poller.DisposeAsync().ConfigureAwait(false);
        if (_devices is not null) await _devices.DisposeAsync().ConfigureAwait(false);
        _readings.Flush();
        _daq.Dispose();
        _publisher?.Dispose();
        _context.Dispose();
        _catalog.Dispose();
        _stopping.Dispose();
    }
}
