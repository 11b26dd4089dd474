using BeamDAQ.Analysis.Features;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using Serilog;

namespace BeamDAQ.Analysis.Pipeline;

/// <summary>
/// The one analysis path shared by the live monitor and offline replay: takes records (topic + MessagePack
/// payload, as in a run file or the two ZeroMQ frames) or already decoded events one at a time, decodes them,
/// extracts each event's features once and hands both to every <see cref="IEventSink"/> in order.
/// A payload that does not decode is counted and kept as a <see cref="RecordProblem"/>; a sink that throws is
/// counted and logged once, and the other sinks still get the event. Not thread-safe: one feeding thread.
/// </summary>
public sealed class EventPipeline
{
    /// <summary>How many problems are kept with their text; all are counted.</summary>
    public const int MaxKeptProblems = 100;

    private readonly IEventSink[] _sinks;
    private readonly bool[] _sinkFailureLogged;
    private readonly EventFeatures _features = new();
    private readonly List<RecordProblem> _problems = [];
    private readonly ILogger? _logger;
    private ulong _lastTrigger;

    public EventPipeline(FeatureSettings settings, IEnumerable<IEventSink> sinks, ILogger? logger = null)
    {
        Extractor = new FeatureExtractor(settings);
        _sinks = sinks.ToArray();
        _sinkFailureLogged = new bool[_sinks.Length];
        _logger = logger;
    }

    public FeatureExtractor Extractor { get; }
    public IReadOnlyList<IEventSink> Sinks => _sinks;
    public PipelineCounters Counters { get; } = new();
    public IReadOnlyList<RecordProblem> Problems => _problems;

    /// <summary>The current run, from the last <c>run.begin</c>; null before one arrived.</summary>
    public RunInfo? Run { get; private set; }

    /// <summary>The last <c>run.end</c> of the current run; null while it runs.</summary>
    public RunEndInfo? RunEnd { get; private set; }

    /// <summary>
    /// Whether trigger-number gaps are counted. Off for a worker that sees only a share of a file's events
    /// (the offline analyzer counts gaps over the whole file instead).
    /// </summary>
    public bool CountTriggerGaps { get; init; } = true;

    /// <summary>Accepts one record: its topic and payload. <paramref name="offset"/> locates it in a file (−1 live).</summary>
    public void Accept(string topic, ReadOnlyMemory<byte> payload, long offset = -1)
    {
        if (topic == Topics.Event)
        {
            DaqEvent decoded;
            try
            {
                decoded = EventCodec.Decode(payload);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InvalidCastException)
            {
                AddProblem(offset, topic, e.Message);
                return;
            }
            AcceptEvent(decoded);
            return;
        }

        Dictionary<string, object?> map;
        try
        {
            map = MessagePackValue.ReadMap(payload.Span);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InvalidCastException)
        {
            AddProblem(offset, topic, e.Message);
            return;
        }
        switch (topic)
        {
            case Topics.RunBegin: AcceptRunBegin(map); break;
            case Topics.RunEnd: AcceptRunEnd(map); break;
            default: AcceptMessage(topic, map); break;
        }
    }

    /// <summary>Extracts the features of a decoded event and passes both to every sink.</summary>
    public void AcceptEvent(DaqEvent daqEvent)
    {
        Extractor.Extract(daqEvent, _features);
        Counters.Events++;
        foreach (ref readonly var channel in _features.Channels)
            Counters.Count(channel);
        if (CountTriggerGaps)
        {
            if (_lastTrigger != 0 && daqEvent.Trigger <= _lastTrigger) Counters.TriggersOutOfOrder++;
            else if (daqEvent.Trigger > _lastTrigger + 1 && _lastTrigger != 0) Counters.TriggerGaps += (long)(daqEvent.Trigger - _lastTrigger - 1);
            _lastTrigger = Math.Max(_lastTrigger, daqEvent.Trigger);
        }
        for (int i = 0; i < _sinks.Length; i++)
        {
            try
            {
                _sinks[i].OnEvent(daqEvent, _features);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                SinkFailed(i, e);
            }
        }
    }

    public void AcceptRunBegin(IReadOnlyDictionary<string, object?> map)
    {
        Run = new RunInfo(map);
        RunEnd = null;
        _lastTrigger = 0;
        Counters.RunBegins++;
        for (int i = 0; i < _sinks.Length; i++)
        {
            try { _sinks[i].OnRunBegin(Run); }
            catch (Exception e) when (e is not OutOfMemoryException) { SinkFailed(i, e); }
        }
    }

    public void AcceptRunEnd(IReadOnlyDictionary<string, object?> map)
    {
        RunEnd = new RunEndInfo(map);
        Counters.RunEnds++;
        for (int i = 0; i < _sinks.Length; i++)
        {
            try { _sinks[i].OnRunEnd(RunEnd); }
            catch (Exception e) when (e is not OutOfMemoryException) { SinkFailed(i, e); }
        }
    }

    public void AcceptMessage(string topic, IReadOnlyDictionary<string, object?> map)
    {
        Counters.OtherMessages++;
        for (int i = 0; i < _sinks.Length; i++)
        {
            try { _sinks[i].OnMessage(topic, map); }
            catch (Exception e) when (e is not OutOfMemoryException) { SinkFailed(i, e); }
        }
    }

    /// <summary>Records a problem found outside the pipeline (e.g. by a reader) so that all are reported together.</summary>
    public void AddProblem(long offset, string topic, string message)
    {
        Counters.Undecodable++;
        if (_problems.Count >= MaxKeptProblems) return;
        _problems.Add(new RecordProblem(offset, topic, message));
        _logger?.Warning("Skipped {Topic} record at offset {Offset}: {Problem}", topic, offset, message);
    }

    private void SinkFailed(int index, Exception e)
    {
        Counters.SinkFailures++;
        if (_sinkFailureLogged[index]) return;
        _sinkFailureLogged[index] = true;
        _logger?.Error(e, "Analysis stage {Sink} failed; further failures of it are only counted", _sinks[index].GetType().Name);
    }
}
