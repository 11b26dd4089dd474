using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Control.RunControl.Subscriptions;

/// <summary>
/// A SUB socket on its own thread that decodes each message's map and hands it to a handler. A message whose map
/// does not decode, or a handler that throws, is counted and logged (rate-limited) and the loop goes on: a bad
/// message from a peer must never stop the control node. The subscriber's own accounting (sequence gaps,
/// malformed frames) is exposed as it is.
/// </summary>
public sealed class TopicListener : IDisposable
{
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly EventSubscriber _subscriber;
    private readonly Action<string, IReadOnlyDictionary<string, object?>> _handler;
    private readonly ILogger _log;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _delivered, _undecodable, _handlerFailures;

    /// <param name="name">Names the listener in logs and its thread (e.g. "daq", "analysis").</param>
    public TopicListener(ZmqContext context, string name, string address, string[] topics,
        Action<string, IReadOnlyDictionary<string, object?>> handler, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(context);
        Name = name;
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _log = log.ForContext("Listener", name);
        _subscriber = new EventSubscriber(context, address, topics);
        _thread = new Thread(Listen) { IsBackground = true, Name = $"{name} listener {address}" };
    }

    public string Name { get; }
    public string Address => _subscriber.Address;

    public long Delivered => Interlocked.Read(ref _delivered);
    public long Undecodable => Interlocked.Read(ref _undecodable);
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);
    public long Missed => _subscriber.Missed;
    public long Malformed => _subscriber.Malformed;

    public void Start() => _thread.Start();

    private void Listen()
    {
        while (!_stopping)
        {
            if (!_subscriber.TryReceive(StopCheckInterval, out var message))
            {
                if (_subscriber.ContextTerminated) return;
                continue;
            }
            Dictionary<string, object?> map;
            try
            {
                map = MapMessage.Decode(message.Payload.Span);
            }
            catch (FormatException e)
            {
                Count(ref _undecodable, "topic '{Topic}' from {Address}: map does not decode: {Error}", message.Topic, e.Message);
                continue;
            }
            try
            {
                _handler(message.Topic, map);
                Interlocked.Increment(ref _delivered);
            }
            catch (Exception e)
            {
                Count(ref _handlerFailures, "topic '{Topic}' from {Address}: {Error}", message.Topic, $"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private void Count(ref long counter, string template, string topic, string error)
    {
        long n = Interlocked.Increment(ref counter);
        // The first few in full, then one in a thousand: a peer that sends garbage at 1 kHz must not flood the log.
        if (n <= 10 || n % 1000 == 0)
            _log.Warning(template + " ({Count} so far)", topic, Address, error, n);
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive) _thread.Join();
        _subscriber.Dispose();
    }
}
