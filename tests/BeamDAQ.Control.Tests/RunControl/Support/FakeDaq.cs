using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Control.Tests.RunControl.Support;

/// <summary>
/// A front end for run-control tests, built on the real ZeroMQ binding: a ROUTER socket that speaks the REQ/REP
/// protocol of docs/run-control.md (so it can also lose a reply or stay silent, which a REP socket cannot), a PUB
/// socket for daq.status/run.begin/run.end/alarm, and real run files. It follows the protocol's rules: a repeated
/// id is answered from the reply cache without acting again; a repeated start of the running run and a stop while
/// not running change nothing. Events and heartbeats happen when the test says so.
/// </summary>
public sealed class FakeDaq : IDisposable
{
    private readonly ZmqContext _context;
    private readonly ZmqSocket _router;
    private readonly EventPublisher _publisher;
    private readonly string _directory;
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _replies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _executed = new(StringComparer.Ordinal);
    private readonly List<(string Command, string Id)> _received = [];
    private volatile bool _stopping;
    private RunFileWriter? _file;
    private Thread? _heartbeatThread;
    private volatile bool _heartbeating;

    public FakeDaq(string directory, string? controlAddress = null, string? publishAddress = null, string? token = null)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        Token = token;
        _context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        _router = _context.CreateSocket(ZmqSocketType.Router);
        _router.Bind(controlAddress ?? "tcp://127.0.0.1:*");
        ControlEndpoint = _router.LastEndpoint;
        _publisher = new EventPublisher(_context, publishAddress ?? "tcp://127.0.0.1:*");
        PublishEndpoint = _publisher.Endpoint;
        _thread = new Thread(Serve) { IsBackground = true, Name = "fake daq" };
        _thread.Start();
    }

    public string ControlEndpoint { get; }
    public string PublishEndpoint { get; }
    public string? Token { get; }

    // ---- behaviour the test controls ----

    /// <summary>Requests are received and never answered (a hung front end).</summary>
    public bool Silent { get; set; }

    /// <summary>The next request of this command is carried out but its reply is lost (never sent).</summary>
    public string? LoseReplyOf { get; set; }

    /// <summary>Refuses the next configure with this error.</summary>
    public string? RefuseConfigure { get; set; }

    public string DeviceState { get; set; } = "ok";

    /// <summary>Further keys of the next run.end (the real front end adds dead_time_fraction, gaps, ...).</summary>
    public Dictionary<string, object?>? RunEndExtras { get; set; }

    // ---- what happened ----

    public string State { get { lock (_gate) return _state; } }
    public uint? Run { get { lock (_gate) return _run; } }
    public ulong Events { get { lock (_gate) return _events; } }
    public string? FilePath { get { lock (_gate) return _filePath; } }
    public IReadOnlyDictionary<string, object?>? LastConfigOverrides { get { lock (_gate) return _lastOverrides; } }
    public IReadOnlyDictionary<string, object?>? LastMeta { get { lock (_gate) return _lastMeta; } }
    public long? LastEventsLimit { get { lock (_gate) return _lastEventsLimit; } }

    /// <summary>How often each command was carried out (repeats answered from the cache do not count).</summary>
    public int Executed(string command) { lock (_gate) return _executed.GetValueOrDefault(command); }

    /// <summary>Every request received, in order, with its id (retries included).</summary>
    public IReadOnlyList<(string Command, string Id)> Received { get { lock (_gate) return [.. _received]; } }

    private string _state = "Idle";
    private uint? _run;
    private ulong _events, _missed;
    private string? _filePath;
    private IReadOnlyDictionary<string, object?>? _lastOverrides, _lastMeta;
    private long? _lastEventsLimit;

    /// <summary>Records <paramref name="count"/> events into the run file (flushed, so a reader sees them at once).</summary>
    public void Record(int count)
    {
        lock (_gate)
        {
            if (_state != "Running" || _file is null) throw new InvalidOperationException("the fake daq is not running");
            for (int i = 0; i < count; i++)
            {
                _events++;
                var samples = new byte[64];
                var evt = new DaqEvent(_run!.Value, _events, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000, EventFlags.None, 50e6, 6,
                    [new ChannelRecord(1, 0.8, 12, 0.8 / 2048, 0, samples)]) { Sequence = _events };
                _file.Append(Topics.Event, EventCodec.EncodeToArray(evt));
            }
            _file.Flush();
        }
    }

    public void AddMissed(ulong missed) { lock (_gate) _missed += missed; }

    /// <summary>Publishes one daq.status heartbeat with the current state and counters.</summary>
    public void Heartbeat()
    {
        Dictionary<string, object?> map;
        lock (_gate)
            map = new DaqStatusMessage
            {
                State = _state,
                Run = _state == "Running" ? _run : null,
                TriggerRateHz = 5,
                Events = _events,
                Missed = _missed,
                DeadTimeFraction = 0.001,
                BytesWritten = _file?.BytesWritten ?? 0,
                DeviceState = DeviceState,
                Dropped = 0,
                TimeNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            }.ToMap();
        _publisher.Publish(Topics.DaqStatus, map);
    }

    /// <summary>Publishes heartbeats every <paramref name="interval"/> on a thread of its own until <see cref="StopHeartbeats"/>.</summary>
    public void StartHeartbeats(TimeSpan interval)
    {
        _heartbeating = true;
        _heartbeatThread = new Thread(() =>
        {
            using var tick = new AutoResetEvent(false);
            while (_heartbeating && !_stopping)
            {
                Heartbeat();
                tick.WaitOne(interval);
            }
        }) { IsBackground = true, Name = "fake daq heartbeat" };
        _heartbeatThread.Start();
    }

    public void StopHeartbeats()
    {
        _heartbeating = false;
        _heartbeatThread?.Join();
    }

    public void Publish(string topic, IDictionary<string, object?> map) => _publisher.Publish(topic, map);

    /// <summary>Ends the running run by itself (as on reaching its own events limit): run.end written and published.</summary>
    public void EndRunByItself(string reason)
    {
        Dictionary<string, object?> end;
        lock (_gate)
            end = CloseRun(reason);
        _publisher.Publish(Topics.RunEnd, end);
    }

    // ---- the protocol ----

    private void Serve()
    {
        var frames = new List<byte[]>();
        while (!_stopping)
        {
            if (!_router.TryReceiveMultipart(frames, TimeSpan.FromMilliseconds(50)))
            {
                if (_router.ContextTerminated) return;
                continue;
            }
            if (Silent)
            {
                var ignored = MessagePackValue.ReadMap(frames[^1]);
                lock (_gate) _received.Add((ignored.GetValueOrDefault("cmd") as string ?? "", ignored.GetValueOrDefault("id") as string ?? ""));
                continue;
            }
            // [routing id, empty delimiter, request]
            byte[] identity = frames[0];
            byte[]? reply = Answer(frames[^1], out bool lose);
            if (reply is null || lose) continue;
            _router.Send(identity, more: true);
            _router.Send([], more: true);
            _router.Send(reply);
        }
    }

    private byte[]? Answer(byte[] requestBytes, out bool lose)
    {
        lose = false;
        var request = MessagePackValue.ReadMap(requestBytes);
        string command = request.GetValueOrDefault("cmd") as string ?? "";
        string id = request.GetValueOrDefault("id") as string ?? "";
        Dictionary<string, object?> reply;
        lock (_gate)
        {
            _received.Add((command, id));
            if (_replies.TryGetValue(id, out var cached)) return cached;
            if (Token is not null && request.GetValueOrDefault("token") as string != Token)
                reply = Refuse("token missing or wrong");
            else
            {
                _executed[command] = _executed.GetValueOrDefault(command) + 1;
                reply = command switch
                {
                    "ping" => Ok(),
                    "status" => Status(),
                    "configure" => Configure(request),
                    "start" => Start(request),
                    "stop" => Stop(request),
                    "reset" => Reset(),
                    _ => Refuse($"unknown command '{command}'"),
                };
            }
            var writer = new MessagePackWriter();
            MessagePackValue.Write(writer, reply);
            byte[] bytes = writer.WrittenSpan.ToArray();
            _replies[id] = bytes;
            if (LoseReplyOf == command)
            {
                LoseReplyOf = null;
                lose = true;
            }
            return bytes;
        }
    }

    private Dictionary<string, object?> Ok(Dictionary<string, object?>? keys = null)
    {
        var reply = new Dictionary<string, object?> { ["v"] = 1L, ["ok"] = true, ["state"] = _state, ["run"] = _run is { } r ? (object)(long)r : null };
        if (keys is not null)
            foreach (var (k, v) in keys) reply[k] = v;
        return reply;
    }

    private Dictionary<string, object?> Refuse(string error) =>
        new() { ["v"] = 1L, ["ok"] = false, ["state"] = _state, ["error"] = error };

    private Dictionary<string, object?> Status() => Ok(new()
    {
        ["events"] = _events,
        ["missed"] = _missed,
        ["dead_time_fraction"] = 0.001,
        ["bytes_written"] = _file?.BytesWritten ?? 0L,
        ["file"] = _filePath,
        ["device_state"] = DeviceState,
        ["error"] = _state == "Error" ? "simulated fault" : null,
    });

    private Dictionary<string, object?> Configure(Dictionary<string, object?> request)
    {
        if (RefuseConfigure is { } error)
        {
            RefuseConfigure = null;
            return Refuse(error);
        }
        if (_state is "Running" or "Error") return Refuse($"configure not allowed in {_state}");
        _lastOverrides = request.GetValueOrDefault("config") as IReadOnlyDictionary<string, object?>;
        _state = "Configured";
        return Ok(new() { ["applied"] = new Dictionary<string, object?> { ["resolution_bits"] = 12L, ["sample_rate_hz"] = 50e6 } });
    }

    private Dictionary<string, object?> Start(Dictionary<string, object?> request)
    {
        uint run = (uint)Convert.ToUInt64(request["run"]);
        if (_state == "Running" && _run == run) return Ok(new() { ["file"] = _filePath });
        if (_state != "Configured") return Refuse($"start not allowed in {_state}; allowed in Configured");
        _lastMeta = request.GetValueOrDefault("meta") as IReadOnlyDictionary<string, object?>;
        _lastEventsLimit = request.GetValueOrDefault("events") is { } limit ? Convert.ToInt64(limit) : null;
        _run = run;
        _events = 0;
        _missed = 0;
        _filePath = Path.Combine(_directory, $"run{run:D6}.bdq");
        _file = RunFileWriter.Create(_filePath);
        var begin = new RunBeginMessage
        {
            Run = run,
            TimeNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            Config = new Dictionary<string, object?> { ["digitizer"] = new Dictionary<string, object?> { ["driver"] = "fake" } },
            Applied = new Dictionary<string, object?> { ["resolution_bits"] = 12L },
            Software = "fake daq",
            Meta = _lastMeta ?? new Dictionary<string, object?>(),
        }.ToMap();
        _file.Append(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, begin, 1));
        _file.Flush();
        _state = "Running";
        _publisher.Publish(Topics.RunBegin, begin);
        return Ok(new() { ["file"] = _filePath });
    }

    private Dictionary<string, object?> Stop(Dictionary<string, object?> request)
    {
        if (_state != "Running") return Ok();
        var end = CloseRun(request.GetValueOrDefault("reason") as string ?? "stop");
        _publisher.Publish(Topics.RunEnd, end);
        return Ok(new() { ["run"] = end["run"], ["events"] = _events, ["missed"] = _missed, ["file"] = _filePath });
    }

    private Dictionary<string, object?> CloseRun(string reason)
    {
        var end = new RunEndMessage
        {
            Run = _run!.Value,
            TimeNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            Events = _events,
            Missed = _missed,
            Reason = reason,
            Extras = RunEndExtras ?? new Dictionary<string, object?>(),
        }.ToMap();
        _file!.Append(Topics.RunEnd, MapMessage.EncodeToArray(Topics.RunEnd, end, 2));
        _file.Dispose();
        _file = null;
        _state = "Configured";
        return end;
    }

    private Dictionary<string, object?> Reset()
    {
        if (_state != "Error") return Refuse($"reset: nothing to reset in {_state}");
        _state = "Idle";
        return Ok();
    }

    /// <summary>Puts the fake into Error (as a device fault would).</summary>
    public void Fault() { lock (_gate) _state = "Error"; }

    /// <summary>Stops answering and publishing at once, like a killed process; the run file stays as it is.</summary>
    public void Dispose()
    {
        _stopping = true;
        _heartbeating = false;
        _heartbeatThread?.Join();
        _thread.Join();
        _publisher.Dispose();
        _router.Dispose();
        _context.Dispose();
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
