using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Monitor.Tests.Support;

/// <summary>
/// A front end for tests: a real ZeroMQ PUB on a free port that publishes run boundaries, events, heartbeats,
/// slow control and alarms exactly as the daq and the control node do (EventPublisher, typed messages).
/// </summary>
public sealed class TestPublisher : IDisposable
{
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };
    private readonly EventPublisher _publisher;

    public TestPublisher(int sendHighWaterMark = 100_000)
    {
        _publisher = new EventPublisher(_context, "tcp://127.0.0.1:*", sendHighWaterMark);
    }

    public string Endpoint => _publisher.Endpoint;
    public EventPublisher Publisher => _publisher;

    public static long Now => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    public void RunBegin(uint run, IDictionary<string, object?>? meta = null) =>
        _publisher.Publish(Topics.RunBegin, new RunBeginMessage
        {
            Run = run,
            TimeNs = Now,
            Config = new Dictionary<string, object?> { ["digitizer"] = new Dictionary<string, object?> { ["sample_rate"] = 5e7 } },
            Applied = new Dictionary<string, object?> { ["range_v"] = 0.2, ["resolution_bits"] = 16L },
            Software = "BeamDAQ test",
            Meta = (IReadOnlyDictionary<string, object?>)(meta ?? new Dictionary<string, object?> { ["operator"] = "test", ["beam_energy_mev"] = 2.7 }),
        }.ToMap());

    public void RunEnd(uint run, ulong events, ulong missed = 0) =>
        _publisher.Publish(Topics.RunEnd, new RunEndMessage { Run = run, TimeNs = Now, Events = events, Missed = missed, Reason = "stopped" }.ToMap());

    public bool Event(DaqEvent e) => _publisher.PublishEvent(e);

    public void Status(uint? run, ulong events, double deadTime = 0.01, double rate = 5, string state = "Running") =>
        _publisher.Publish(Topics.DaqStatus, new DaqStatusMessage
        {
            State = state, Run = run, TriggerRateHz = rate, Events = events, Missed = 0, DeadTimeFraction = deadTime,
            BytesWritten = 1000, DeviceState = "ok", Dropped = 0, TimeNs = Now,
        }.ToMap());

    public void SlowControl(string device, string quantity, double value, string unit) =>
        _publisher.Publish(Topics.SlowControl, new SlowControlMessage { TimeNs = Now, Device = device, Quantity = quantity, Value = value, Unit = unit }.ToMap());

    public void Alarm(string code, string message, AlarmSeverity severity = AlarmSeverity.Warning) =>
        _publisher.Publish(Topics.Alarm, new AlarmMessage { TimeNs = Now, Source = "test", Severity = severity, Code = code, Message = message }.ToMap());

    public void Dispose()
    {
        _publisher.Dispose();
        _context.Dispose();
    }
}
