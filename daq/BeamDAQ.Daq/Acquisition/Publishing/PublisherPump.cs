using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Daq.Acquisition.Publishing;

/// <summary>
/// The publisher thread: takes encoded messages from the <see cref="PublicationQueue"/> and sends them through the
/// PUB socket unchanged (<see cref="EventPublisher.PublishEncoded"/>: the <c>seq</c> and <c>tseq</c> in the bytes are those the
/// run file has). Sending never blocks; a message the socket refuses (a full subscriber under
/// <see cref="PublisherDropPolicy.DropForAllSubscribers"/>) is counted in <see cref="SocketRefused"/>.
/// </summary>
internal sealed class PublisherPump : IDisposable
{
    private static readonly TimeSpan IdleWake = TimeSpan.FromMilliseconds(200);

    private readonly PublicationQueue _queue;
    private readonly EventPublisher _publisher;
    private readonly ILogger _log;
    private readonly Thread _thread;
    private long _refused;
    private volatile bool _stopping;

    public PublisherPump(PublicationQueue queue, EventPublisher publisher, ILogger log)
    {
        _queue = queue;
        _publisher = publisher;
        _log = log;
        _thread = new Thread(Pump) { IsBackground = true, Name = "publisher" };
        _thread.Start();
    }

    /// <summary>Messages the socket did not accept without blocking.</summary>
    public long SocketRefused => Interlocked.Read(ref _refused);

    private void Pump()
    {
        while (true)
        {
            if (!_queue.TryTake(IdleWake, out var slot))
            {
                if (_stopping && _queue.Pending == 0) return;
                continue;
            }
            try
            {
                if (!_publisher.PublishEncoded(slot.Topic, slot.Writer.WrittenSpan))
                    Interlocked.Increment(ref _refused);
            }
            catch (ZmqException e)
            {
                // The socket is closing (shutdown) or broken: count the message and keep draining, never stop the others.
                Interlocked.Increment(ref _refused);
                _log.Warning("publishing a {Topic} message failed: {Error}", slot.Topic, e.Message);
            }
            finally
            {
                _queue.Return(slot);
            }
        }
    }

    /// <summary>Sends what is still queued (at most <paramref name="drainTimeout"/>), then ends the thread.</summary>
    public void Stop(TimeSpan drainTimeout)
    {
        if (_stopping) return;
        if (!_queue.WaitUntilSent(drainTimeout))
            _log.Warning("{Pending} message(s) were still waiting to be published at shutdown", _queue.Pending);
        _stopping = true;
        _queue.Complete();
        _thread.Join();
    }

    public void Dispose() => Stop(TimeSpan.FromSeconds(2));
}
