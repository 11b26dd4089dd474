using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.DeviceFaults;

/// <summary>
/// <c>beamdaq-daq run</c> on the simulated HS4 with injected device faults — 20 removals from the USB bus in one run,
/// slow USB reads — in simulated time (<c>--rate max</c>), so hours of beam take seconds. After each run the file is
/// audited record by record: nothing corrupted, trigger numbers without a hole, and the trigger accounting exact —
/// recorded events plus missed triggers equal the bunches that came, counted independently from the event times.
/// </summary>
public sealed class DeviceFaultTests(ITestOutputHelper output)
{
    private const double BunchRateHz = 5;

    [Fact]
    public void WhenTheDigitizerDropsOffTheBusTwentyTimesInOneRunThenEveryEventIsKeptAndEveryMissedBunchCounted()
    {
        var removals = Enumerable.Range(1, 20).Select(k => $"remove@{k * 60}:2s");
        var (audit, stdout) = Run(1500, string.Join(",", removals));

        Assert.True(audit.IsComplete, audit.ToString());
        Assert.Equal(1500, audit.Events);
        Assert.Equal("event limit", audit.RunEnd!.Reason);
        Assert.Equal(20, audit.Gaps.Count);
        Assert.Equal(20, audit.Alarms.Count(a => a.Code == "device-lost"));
        long spanned = BunchGrid.Spanned(audit.EventTimesNs, BunchRateHz);
        Assert.True((long)audit.RunEnd.Events + (long)audit.RunEnd.Missed == spanned,
            $"events {audit.RunEnd.Events} + missed {audit.RunEnd.Missed} ≠ {spanned} bunches between the first and the last event");
        // Each gap's missed triggers are exactly the bunches that fell between the events around it.
        ulong gapMissed = audit.Gaps.Aggregate(0UL, (sum, g) => sum + Convert.ToUInt64(g["missed"]));
        Assert.Equal(audit.RunEnd.Missed, gapMissed);
        output.WriteLine($"20 removals: {audit.RunEnd.Events} events + {audit.RunEnd.Missed} missed = {spanned} bunches; {audit.Records} records, {audit.Length:N0} bytes");
        Assert.Contains("outages    20", stdout);
    }

    [Fact]
    public void WhenUsbReadsAreSlowerThanTheBunchPeriodThenTheLostBunchesAreCountedAndNoRecordIsDamaged()
    {
        // 200 reads 300 ms too slow (the period is 200 ms), in two bursts, plus a few sluggish ones that still keep up.
        var (audit, _) = Run(800, "slow@100x100:300ms,slow@400x100:300ms,slow@600x50:50ms");

        Assert.True(audit.IsComplete, audit.ToString());
        long spanned = BunchGrid.Spanned(audit.EventTimesNs, BunchRateHz);
        Assert.Equal(spanned, (long)audit.RunEnd!.Events + (long)audit.RunEnd.Missed);
        // A read 300 ms late costs exactly the one bunch that came while it was being read.
        Assert.Equal(200UL, audit.RunEnd.Missed);
        Assert.Empty(audit.Gaps);
        output.WriteLine($"slow reads: {audit.RunEnd.Events} events + {audit.RunEnd.Missed} missed = {spanned} bunches");
    }

    [Fact]
    public void WhenTriggersGoMissingThenTheRunGoesOnAndTheHoleIsCounted()
    {
        var (audit, _) = Run(300, "missing@50x3,missing@120x40,missing@200");

        Assert.True(audit.IsComplete, audit.ToString());
        Assert.Equal(44UL, audit.RunEnd!.Missed);
        Assert.Equal(BunchGrid.Spanned(audit.EventTimesNs, BunchRateHz), (long)audit.RunEnd.Events + (long)audit.RunEnd.Missed);
    }

    /// <summary>One stand-alone run of <paramref name="events"/> events with <paramref name="faults"/>; returns the audited file.</summary>
    private (RunFileAudit Audit, string Stdout) Run(int events, string faults, params string[] extra)
    {
        using var dir = new TempDirectory();
        var (code, stdout, stderr) = BeamDaqProgram.Run(ProgramName.Daq, dir.Path,
            ["run", "--sim", "--rate", "max", "--events", events.ToString(System.Globalization.CultureInfo.InvariantCulture), "--fault", faults,
             "--out", dir.File("runs"), "--publish", "tcp://127.0.0.1:*", .. extra], TimeSpan.FromMinutes(2));
        Assert.True(code == ExitCodes.Success, $"exit {code}: {BeamDaqProgram.Tail(stderr)}");
        string file = dir.File("runs/run_000001.bdq");
        Assert.True(File.Exists(file), $"no run file; stdout: {stdout}; stderr: {BeamDaqProgram.Tail(stderr)}");
        var audit = RunFileAudit.Of(file);
        return (audit, stdout);
    }
}
