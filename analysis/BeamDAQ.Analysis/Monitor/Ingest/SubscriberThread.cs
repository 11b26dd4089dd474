using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Analysis.Monitor.Ingest;

/// <summary>
/// One SUB socket on its own thread: receives from one publisher and hands every message to the
/// <see cref="IngestQueue"/> without waiting. One socket per publisher keeps the sequence accounting per
/// publisher (the daq's <c>alarm</c> and the control node's <c>alarm</c> are different streams). Gaps in
/// <c>tseq</c> on <c>evt</c> are events the monitor missed (the publisher dropped them for this slow subscriber,
/// or they were lost on the way); gaps on other topics are counted apart. (From a publisher that sends no
/// <c>tseq</c>, the gap before an <c>evt</c> is counted from <c>seq</c> and may include messages of other topics.)
/// </summary>
public sealed class SubscriberThread : IDisposable
{
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(100);
    private static readonly string[] MonitoredTopics =
        [Topics.Event, Topics.RunBegin, Topics.RunEnd, Topics.DaqStatus, Topics.SlowControl, Topics.Alarm, Topics.Fit];

    private readonly EventSubscriber _subscriber;
    private readonly IngestQueue _queue;
    private readonly ILogger? _log;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _received, _missedEvents, _missedOthers, _malformed, _resets, _lastMessageTicks;

    /// <param name="receiveHighWaterMark">
    /// Messages libzmq queues for this subscriber (native memory, outside the GC) before the publisher drops for it.
    /// An HS4 event is ~20 kB, so 1,000 bound this queue to ~20 MB; at 10,000 a monitor behind a daq at full
    /// rate held up to ~200 MB there (the soak's memory steps). What does not fit is counted from seq gaps.
    /// </param>
    public SubscriberThread(Protocol.Transport.ZmqContext context, string address, IngestQueue queue, ILogger? log = null, int receiveHighWaterMark = 1_000)
    {
        _queue = queue;
        _log = log;
        _subscriber = new EventSubscriber(context, address, receiveHighWaterMark, MonitoredTopics);
        Address = address;
        _thread = new Thread(Run) { IsBackground = true, Name = $"monitor subscriber {address}" };
    }

    public string Address { get; }
    public long Received => Interlocked.Read(ref _received);
    /// <summary>Events lost before they reached the monitor (gaps in the <c>evt</c> sequence).</summary>
    public long MissedEvents => Interlocked.Read(ref _missedEvents);
    /// <summary>Other messages lost (gaps in their topics' sequences).</summary>
    public long MissedOthers => Interlocked.Read(ref _missedOthers);
    public long Malformed => Interlocked.Read(ref _malformed);
    /// <summary>Times a publisher restarted (its sequence went back).</summary>
    public long Resets => Interlocked.Read(ref _resets);
    public string? LastMalformed { get; private set; }

    /// <summary>When the last message arrived (UTC ticks; 0: never).</summary>
    public DateTimeOffset? LastMessage
    {
        get
        {
            long ticks = Interlocked.Read(ref _lastMessageTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public void Start() => _thread.Start();

    private void Run()
    {
        long loggedMalformed = 0;
        try
        {
            while (!_stopping)
            {
                if (!_subscriber.TryReceive(StopCheckInterval, out var message))
                {
                    if (_subscriber.ContextTerminated) return;
                    UpdateMalformed(ref loggedMalformed);
                    continue;
                }
                Interlocked.Exchange(ref _lastMessageTicks, DateTimeOffset.UtcNow.UtcTicks);
                Interlocked.Increment(ref _received);
                if (message.MissedBefore > 0)
                {
                    long missed = (long)Math.Min(message.MissedBefore, long.MaxValue / 2);
                    if (message.Topic == Topics.Event) Interlocked.Add(ref _missedEvents, missed);
                    else Interlocked.Add(ref _missedOthers, missed);
                }
                if (message.SequenceReset)
                {
                    Interlocked.Increment(ref _resets);
                    _log?.Information("Publisher {Address} restarted: {Reset}", Address, _subscriber.LastReset);
                }
                _queue.TryEnqueue(message.Topic, message.Payload);
                UpdateMalformed(ref loggedMalformed);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A broken socket is unexpected: say so loudly; the other subscribers and the page keep going.
            _log?.Error(e, "Subscriber to {Address} stopped", Address);
        }
    }

    private void UpdateMalformed(ref long logged)
    {
        long malformed = _subscriber.Malformed;
        if (malformed == logged) return;
        Interlocked.Exchange(ref _malformed, malformed);
        LastMalformed = _subscriber.LastMalformed;
        // Rate-limited: the first one and then every 1000th.
        if (logged == 0 || malformed / 1000 != logged / 1000)
            _log?.Warning("{Count} malformed message(s) from {Address}; latest: {Reason}", malformed, Address, LastMalformed);
        logged = malformed;
    }

    /// <summary>Stops the thread and closes the socket.</summary>
    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive) _thread.Join(TimeSpan.FromSeconds(2));
        _subscriber.Dispose();
    }
}
