using BeamDAQ.Analysis.Features;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Pipeline;

/// <summary>
/// A consumer of the analysis stream — histograms, noise, the monitor's waveform view, a feature table. The
/// <see cref="EventPipeline"/> calls it on one thread, in stream order, with each event's features computed once.
/// Offline the stream comes from a run file, live from the ZeroMQ subscription; a sink cannot tell the difference.
/// </summary>
public interface IEventSink
{
    /// <summary>
    /// One event and its features. Both are only valid during the call: the features holder is reused and the
    /// samples may be a slice of a receive buffer. Copy what must be kept.
    /// </summary>
    void OnEvent(DaqEvent daqEvent, EventFeatures features);

    /// <summary>A run began (its <c>run.begin</c> map); the sink may reset per-run state.</summary>
    void OnRunBegin(RunInfo run) { }

    /// <summary>The run ended (its <c>run.end</c> map).</summary>
    void OnRunEnd(RunEndInfo end) { }

    /// <summary>Any other topic (<c>daq.status</c>, <c>sc</c>, <c>fit</c>, <c>alarm</c>, or one this version does not know).</summary>
    void OnMessage(string topic, IReadOnlyDictionary<string, object?> map) { }
}
