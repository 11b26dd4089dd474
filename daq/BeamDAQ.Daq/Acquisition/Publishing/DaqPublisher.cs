using BeamDAQ.Daq.Configuration;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Daq.Acquisition.Publishing;

/// <summary>
/// The front end's publishing side put together: the PUB socket (bound at once, so subscribers can connect before the
/// first run), the message sequences (seq, tseq), the bounded publication queue with its drop policy, and the publisher thread.
/// <see cref="Outlet"/> is what the rest of the front end sends through.
/// </summary>
public sealed class DaqPublisher : IDisposable
{
    /// <summary>Memory libzmq may hold per subscriber that does not keep up; the high-water mark is this over the event size.</summary>
    public const long SubscriberBufferBytes = 64L << 20;

    private readonly EventPublisher _publisher;
    private readonly PublisherPump _pump;

    private DaqPublisher(EventPublisher publisher, PublisherPump pump, MessageOutlet outlet)
    {
        _publisher = publisher;
        _pump = pump;
        Outlet = outlet;
    }

    /// <summary>Binds the PUB socket of <paramref name="configuration"/> (<c>publish.*</c>) and starts the publisher thread.</summary>
    public static DaqPublisher Open(ZmqContext context, DaqConfiguration configuration, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        int highWaterMark = HighWaterMark(configuration);
        var publisher = new EventPublisher(context, configuration.PublishAddress, highWaterMark, configuration.SlowSubscriber);
        try
        {
            var queue = new PublicationQueue(configuration.PublishQueueLength, configuration.PublishDropPolicy);
            var pump = new PublisherPump(queue, publisher, log);
            var outlet = new MessageOutlet(queue, new MessageSequencer(), () => pump.SocketRefused);
            log.Information("publishing on {Endpoint} (queue {Queue} messages, {Policy}; subscriber high-water mark {Hwm} messages, {Slow})",
                publisher.Endpoint, queue.Capacity, queue.Policy.ToConfigName(), highWaterMark, configuration.SlowSubscriber);
            return new DaqPublisher(publisher, pump, outlet);
        }
        catch
        {
            publisher.Dispose();
            throw;
        }
    }

    /// <summary>Per-subscriber queue in messages: at most <see cref="SubscriberBufferBytes"/> of events, between 16 and 1000.</summary>
    internal static int HighWaterMark(DaqConfiguration configuration)
    {
        int channels = Math.Max(1, configuration.Digitizer.Channels.Count(c => c.Enabled));
        long eventBytes = FrontEnd.EncodedEventBound(channels, Math.Max(1, configuration.Digitizer.RecordLength));
        return (int)Math.Clamp(SubscriberBufferBytes / eventBytes, 16, 1000);
    }

    /// <summary>The bound endpoint with its port resolved (for <c>tcp://…:*</c>).</summary>
    public string Endpoint => _publisher.Endpoint;

    internal MessageOutlet Outlet { get; }

    /// <summary>Publications lost so far (queue drop policy and socket refusals).</summary>
    public long Dropped => Outlet.Dropped;

    /// <summary>Sends what is queued (at most two seconds), then closes the socket.</summary>
    public void Dispose()
    {
        _pump.Stop(TimeSpan.FromSeconds(2));
        _publisher.Dispose();
    }
}
