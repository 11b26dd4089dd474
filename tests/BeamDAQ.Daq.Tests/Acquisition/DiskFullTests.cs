using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Daq.Tests.Acquisition;

/// <summary>A disk that really fills up (a 2 MB tmpfs): the run ends cleanly with reason "disk full" and a readable file.</summary>
public sealed class DiskFullTests
{
    [SkippableFact]
    public void WhenTheDiskFillsDuringARunThenItEndsWithReasonDiskFullAnAlarmAndAReadableFile()
    {
        using var mount = TmpfsMount.TryCreate("2m", out string why)
            ?? throw new SkipTestException($"a 2 MB tmpfs cannot be mounted here ({why}); run the tests as root to check the disk-full path");
        using var rig = new FrontEndRig("digitizer:\n  record_length: 10000\nsimulator:\n  precomputed_waveforms: 4\n", outputDirectory: mount.Path);
        using var alarms = rig.Subscribe(1000, Topics.Alarm, Topics.RunEnd);
        rig.FrontEnd.Configure(rig.Config);
        using (new Heartbeat(TimeSpan.FromMilliseconds(20), () => rig.FrontEnd.Status().ToMessage("Configured", 0), rig.Publisher.Outlet, rig.Logger))
        using (var probe = rig.Subscribe(10, Topics.DaqStatus))
            Eventually.True(() => probe.TryReceive(TimeSpan.FromMilliseconds(50), out _), "the publisher is reachable");

        var started = rig.FrontEnd.StartRun(1, null, eventLimit: 100_000);
        var summary = rig.FrontEnd.WaitForRunEnd(TimeSpan.FromSeconds(60)) ?? throw new TimeoutException("the run did not end");

        Assert.Equal(RunEndReasons.DiskFull, summary.Reason);
        Assert.True(summary.IsFailure);
        Assert.True(summary.RecordsLost > 0);
        Assert.Contains(rig.Log.Messages, m => m.Contains("disk full", StringComparison.Ordinal));

        var run = RecordedRun.Read(started.File);
        Assert.Equal(RunFileEndState.CleanEnd, run.EndState); // cut back to its last whole record
        Assert.Equal(Topics.RunBegin, run.Records[0].Topic);
        var triggers = run.Events.Select(e => e.Trigger).ToList();
        Assert.NotEmpty(triggers);
        Assert.Equal(Enumerable.Range(1, triggers.Count).Select(i => (ulong)i), triggers);
        if (run.Records[^1].Topic == Topics.RunEnd) Assert.Equal(RunEndReasons.DiskFull, run.End.Reason);

        var codes = new List<string>();
        Eventually.True(() =>
        {
            if (alarms.TryReceive(TimeSpan.FromMilliseconds(50), out var m))
                codes.Add(m.Topic == Topics.RunEnd ? "run.end:" + RunEndMessage.FromMap(MessagePackValue.ReadMap(m.Payload.Span)).Reason : AlarmMessage.FromMap(MessagePackValue.ReadMap(m.Payload.Span)).Code);
            return codes.Contains("run.end:" + RunEndReasons.DiskFull);
        }, "run.end with reason disk full is published");
        Assert.Contains(DaqAlarmCodes.DiskFull, codes);
    }
}
