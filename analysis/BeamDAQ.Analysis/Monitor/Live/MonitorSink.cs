using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Protocol.Events;
using Serilog;

namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>
/// The monitor's stage of the shared <see cref="EventPipeline"/>: events (with the features the pipeline
/// extracted once, as offline) and every other message go into the <see cref="LiveState"/>. A message that
/// does not match its topic's schema is counted with its reason and not shown, never shown half-read.
/// </summary>
public sealed class MonitorSink(LiveState state, ILogger? log = null) : IEventSink
{
    private long _badMessages;

    /// <summary>Messages of the status, slow-control, alarm and fit topics that did not match their schema.</summary>
    public long BadMessages => Interlocked.Read(ref _badMessages);
    public string? LastBadMessage { get; private set; }

    public void OnEvent(DaqEvent daqEvent, EventFeatures features) => state.OnEvent(daqEvent, features);

    public void OnRunBegin(RunInfo run) => state.OnRunBegin(run);

    public void OnRunEnd(RunEndInfo end) => state.OnRunEnd(end);

    public void OnMessage(string topic, IReadOnlyDictionary<string, object?> map)
    {
        try
        {
            state.OnMessage(topic, map);
        }
        catch (FormatException e)
        {
            long count = Interlocked.Increment(ref _badMessages);
            LastBadMessage = e.Message;
            if (count == 1 || count % 1000 == 0)
                log?.Warning("{Count} message(s) did not match their schema; latest: {Problem}", count, e.Message);
        }
    }
}
