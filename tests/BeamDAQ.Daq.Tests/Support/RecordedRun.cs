using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>A run file read back whole: every record in order (maps decoded; events also as <see cref="DaqEvent"/>) and how the file ended.</summary>
internal sealed class RecordedRun
{
    private RecordedRun(List<Record> records, RunFileEndState endState, long endOffset, string endDescription)
    {
        Records = records;
        EndState = endState;
        EndOffset = endOffset;
        EndDescription = endDescription;
    }

    public sealed record Record(long Offset, string Topic, byte[] Payload, Dictionary<string, object?> Map)
    {
        public DaqEvent Event => EventCodec.Decode(Payload);
    }

    public IReadOnlyList<Record> Records { get; }
    public RunFileEndState EndState { get; }
    public long EndOffset { get; }
    public string EndDescription { get; }

    public IEnumerable<Record> Topic(string topic) => Records.Where(r => r.Topic == topic);
    public IReadOnlyList<DaqEvent> Events => Topic(Topics.Event).Select(r => r.Event).ToList();
    public RunBeginMessage Begin => RunBeginMessage.FromMap(Records[0].Map);
    public RunEndMessage End => RunEndMessage.FromMap(Records[^1].Map);
    public IReadOnlyList<AlarmMessage> Alarms => Topic(Topics.Alarm).Select(r => AlarmMessage.FromMap(r.Map)).ToList();

    public static RecordedRun Read(string path)
    {
        using var reader = RunFileReader.Open(path);
        var records = new List<Record>();
        while (reader.TryRead(out var record))
        {
            byte[] payload = record.Payload.ToArray();
            records.Add(new Record(record.Offset, record.Topic, payload, MessagePackValue.ReadMap(payload)));
        }
        return new RecordedRun(records, reader.EndState, reader.EndOffset, reader.EndDescription);
    }
}
