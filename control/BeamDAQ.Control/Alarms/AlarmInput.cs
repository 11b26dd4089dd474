using BeamDAQ.Control.SlowControl;

namespace BeamDAQ.Control.Alarms;

/// <summary>Something the alarm rules may react to, at a time.</summary>
public abstract record AlarmInput(DateTimeOffset Time);

public sealed record ReadingInput(SlowControlReading Reading) : AlarmInput(Reading.Time);

public sealed record DeviceStateInput(DeviceStateChange Change) : AlarmInput(Change.Time);

public sealed record HeartbeatInput(DaqHeartbeat Heartbeat) : AlarmInput(Heartbeat.Time);

/// <summary>Time passed without new data (lets 'nothing happened for N s' rules fire when nothing arrives at all).</summary>
public sealed record ClockTick(DateTimeOffset Now) : AlarmInput(Now);
