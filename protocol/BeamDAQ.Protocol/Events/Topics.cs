namespace BeamDAQ.Protocol.Events;

/// <summary>The ZeroMQ topics of DESIGN §4 (the first frame of every message; also the run-file record topic).</summary>
public static class Topics
{
    public const string RunBegin = "run.begin";
    public const string RunEnd = "run.end";
    public const string Event = "evt";
    public const string DaqStatus = "daq.status";
    public const string SlowControl = "sc";
    public const string Fit = "fit";
    public const string Alarm = "alarm";

    public static IReadOnlyList<string> All { get; } = [RunBegin, RunEnd, Event, DaqStatus, SlowControl, Fit, Alarm];
}
