using System.Text;
using System.Threading.Channels;
using BeamDAQ.Analysis.Monitor.Live;
using Serilog;

namespace BeamDAQ.Analysis.Monitor.Web;

/// <summary>
/// Pushes the live state to every connected browser as Server-Sent Events. One loop builds each update once
/// (only the parts whose version moved; spectra, waveforms and noise at a bounded rate) and offers the same bytes
/// to every client: as soon as something changed but not more often than <see cref="MonitorSettings.PushInterval"/>,
/// and at least once a second as a heartbeat. A client that cannot keep up has its queue full: it misses that
/// update (counted) and gets a full update as soon as it has room again, so it never shows a half-merged state,
/// and it never slows the others, the analysis or the daq.
/// </summary>
public sealed class UpdateBroadcaster : IDisposable
{
    private const int ClientQueue = 8;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SpectraInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan WaveformInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan NoiseInterval = TimeSpan.FromSeconds(1);

    private readonly LiveState _state;
    private readonly Func<MonitorDiagnostics> _diagnostics;
    private readonly bool _runControl;
    private readonly ILogger? _log;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _clientsGate = new();
    private readonly List<SseClient> _clients = [];
    private readonly long[] _sent = new long[10];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _seq, _updates, _missedByClients;
    private DateTime _lastSpectra, _lastWaveforms, _lastNoise;

    public UpdateBroadcaster(LiveState state, Func<MonitorDiagnostics> diagnostics, bool runControl, ILogger? log = null)
    {
        _state = state;
        _diagnostics = diagnostics;
        _runControl = runControl;
        _log = log;
        _state.Changed += _ => _wake.Writer.TryWrite(true);
    }

    public int Clients
    {
        get { lock (_clientsGate) return _clients.Count; }
    }

    /// <summary>Updates built and offered to clients.</summary>
    public long Updates => Interlocked.Read(ref _updates);

    /// <summary>Updates clients missed because their queue was full (each followed by a full update).</summary>
    public long MissedByClients => Interlocked.Read(ref _missedByClients);

    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>A new client: its first update is a full one.</summary>
    public SseClient Register()
    {
        var client = new SseClient(Channel.CreateBounded<byte[]>(new BoundedChannelOptions(ClientQueue)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,   // with TryWrite: "full" is reported, never waited for
        }));
        lock (_clientsGate) _clients.Add(client);
        _wake.Writer.TryWrite(true);
        return client;
    }

    public void Unregister(SseClient client)
    {
        lock (_clientsGate) _clients.Remove(client);
        client.Complete();
    }

    /// <summary>A full update as JSON (for GET /api/state and snapshots).</summary>
    public MonitorUpdate BuildFull() =>
        UpdateBuilder.Build(_state, MonitorSections.All, Interlocked.Read(ref _seq), full: true, _diagnostics(), Clients, _runControl);

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        var lastPush = DateTime.MinValue;
        try
        {
            while (!token.IsCancellationRequested)
            {
                // Wake on a change or for the heartbeat, then keep the pushes at least PushInterval apart.
                using (var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(token))
                {
                    heartbeat.CancelAfter(Heartbeat);
                    try
                    {
                        await _wake.Reader.ReadAsync(heartbeat.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                    }
                }
                var wait = lastPush + _state.Settings.PushInterval - DateTime.UtcNow;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, token).ConfigureAwait(false);
                lastPush = DateTime.UtcNow;
                try
                {
                    Push(lastPush);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _log?.Error(e, "Building a browser update failed; the next one tries again");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private void Push(DateTime now)
    {
        SseClient[] clients;
        lock (_clientsGate) clients = _clients.ToArray();

        var changed = MonitorSections.Status;   // always: it is the heartbeat and carries the newest trigger time
        for (int bit = 0; bit < _sent.Length; bit++)
        {
            var part = (MonitorSections)(1 << bit);
            if (_state.Version(part) == _sent[bit]) continue;
            bool due = part switch
            {
                MonitorSections.Spectra => now - _lastSpectra >= SpectraInterval,
                MonitorSections.Waveforms => now - _lastWaveforms >= WaveformInterval,
                MonitorSections.Noise => now - _lastNoise >= NoiseInterval,
                _ => true,
            };
            if (due) changed |= part;
            else _wake.Writer.TryWrite(true);   // come back for it
        }
        // Versions read before building: a change during the build is sent again next time, never lost.
        for (int bit = 0; bit < _sent.Length; bit++)
        {
            var part = (MonitorSections)(1 << bit);
            if ((changed & part) != 0) _sent[bit] = _state.Version(part);
        }
        if ((changed & MonitorSections.Spectra) != 0) _lastSpectra = now;
        if ((changed & MonitorSections.Waveforms) != 0) _lastWaveforms = now;
        if ((changed & MonitorSections.Noise) != 0) _lastNoise = now;

        if (clients.Length == 0) return;
        long seq = Interlocked.Increment(ref _seq);
        var diagnostics = _diagnostics();
        bool anyNeedsFull = clients.Any(c => c.NeedsFull);
        bool anyDelta = clients.Any(c => !c.NeedsFull);
        byte[]? delta = anyDelta ? Frame(UpdateBuilder.Build(_state, changed, seq, full: false, diagnostics, clients.Length, _runControl)) : null;
        byte[]? full = anyNeedsFull ? Frame(UpdateBuilder.Build(_state, MonitorSections.All, seq, full: true, diagnostics, clients.Length, _runControl)) : null;
        Interlocked.Increment(ref _updates);

        foreach (var client in clients)
        {
            bool wantsFull = client.NeedsFull;
            var frame = wantsFull ? full! : delta!;
            if (client.TryWrite(frame))
            {
                if (wantsFull) client.NeedsFull = false;
            }
            else
            {
                client.NeedsFull = true;
                Interlocked.Increment(ref _missedByClients);
            }
        }
    }

    /// <summary>One Server-Sent Event: <c>event: update</c> and the JSON on one data line.</summary>
    public static byte[] Frame(MonitorUpdate update)
    {
        byte[] json = MonitorJson.SerializeToUtf8(update);
        var prefix = "event: update\ndata: "u8;
        var frame = new byte[prefix.Length + json.Length + 2];
        prefix.CopyTo(frame);
        json.CopyTo(frame.AsSpan(prefix.Length));
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _loop?.Wait(TimeSpan.FromSeconds(2)); }
        catch (AggregateException) { }
        lock (_clientsGate)
        {
            foreach (var client in _clients) client.Complete();
            _clients.Clear();
        }
        _stop.Dispose();
    }
}

/// <summary>One connected browser: a short queue of framed updates its response loop writes out.</summary>
public sealed class SseClient(Channel<byte[]> queue)
{
    /// <summary>True for a new client and after it missed an update: its next update is a full one.</summary>
    public volatile bool NeedsFull = true;

    public ChannelReader<byte[]> Reader => queue.Reader;

    public bool TryWrite(byte[] frame) => queue.Writer.TryWrite(frame);

    public void Complete() => queue.Writer.TryComplete();

    /// <summary>The first bytes of every stream: how long the browser waits before reconnecting.</summary>
    public static readonly byte[] Preamble = Encoding.ASCII.GetBytes("retry: 1000\n\n");
}
