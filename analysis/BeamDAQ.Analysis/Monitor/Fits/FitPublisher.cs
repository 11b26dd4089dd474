using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Analysis.Monitor.Fits;

/// <summary>
/// Publishes fit results on the <c>fit</c> topic (docs/run-control.md: the analysis PUB, default
/// <c>tcp://127.0.0.1:5557</c>); the control node stores them. Never blocks; a dropped message is counted.
/// </summary>
public sealed class FitPublisher : IDisposable
{
    private readonly EventPublisher _publisher;

    public FitPublisher(ZmqContext context, string bindAddress)
    {
        _publisher = new EventPublisher(context, bindAddress);
    }

    /// <summary>The bound endpoint (a <c>*</c> port resolved).</summary>
    public string Endpoint => _publisher.Endpoint;
    public long Published => _publisher.Published;
    public long Dropped => _publisher.Dropped;

    public bool Publish(FitMessage fit) => _publisher.Publish(Topics.Fit, fit.ToMap());

    public void Dispose() => _publisher.Dispose();
}
