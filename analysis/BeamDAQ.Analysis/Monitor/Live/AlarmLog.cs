using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>An alarm as shown: what the message said and when the monitor received it.</summary>
public sealed record ShownAlarm(AlarmMessage Alarm, DateTimeOffset ReceivedUtc);

/// <summary>The latest alarms, newest last; older ones fall off but are counted. Guarded by the owner's lock.</summary>
public sealed class AlarmLog(int kept = 200)
{
    private readonly Queue<ShownAlarm> _alarms = new();

    public long Version { get; private set; }
    public long Total { get; private set; }
    public IReadOnlyCollection<ShownAlarm> Alarms => _alarms;

    public void Add(ShownAlarm alarm)
    {
        if (_alarms.Count >= kept) _alarms.Dequeue();
        _alarms.Enqueue(alarm);
        Total++;
        Version++;
    }

    public void Clear()
    {
        _alarms.Clear();
        Version++;
    }
}
