using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.DeviceFaults;

/// <summary>
/// A trigger storm — 100 Hz of spurious triggers on the simulator's trigger line (fault <c>storm@K[xR]:T</c>) on top
/// of the 5 Hz bunches. Every trigger the device takes becomes a whole, decodable record; bunches lost while the device
/// was busy are counted, so beam events plus missed triggers still equal the bunches that came. The beam is intense
/// (λ = 20, a pulse of ~250 mV in every bunch) and a spurious trigger records only noise (~1 mV), which is how the test
/// tells them apart in the file, as an analysis would.
/// </summary>
public sealed class TriggerStormTests(ITestOutputHelper output)
{
    private const double BunchRateHz = 5;

    private const string Config = "simulator:\n  beam: { lambda: 20 }\n";
    private const double BeamThresholdVolts = 0.02;

    [Fact]
    public void WhenA100HzTriggerStormHitsSlowReadsThenEveryBunchIsRecordedOrCountedMissed()
    {
        // Simulated time: a 60 s storm while each read takes 15 ms — longer than the 10 ms between spurious triggers,
        // so the device is busy much of the time and bunches arrive while it cannot take them.
        var (audit, _) = Run(["--rate", "max", "--events", "3000", "--fault", "storm@20:60s,slow@20x2500:15ms"]);

        var (beam, spurious) = Classify(audit);
        output.WriteLine($"storm with slow reads: {beam} beam + {spurious} spurious events, {audit.RunEnd!.Missed} missed, {BunchGrid.Spanned(BeamTimes(audit), BunchRateHz)} bunches");
        Assert.True(audit.IsComplete, audit.ToString());
        Assert.True(spurious > 1000, $"only {spurious} spurious events: the storm did not happen");
        Assert.True(audit.RunEnd.Missed > 0, "no bunch was lost, so the test does not exercise the accounting");
        Assert.Equal(BunchGrid.Spanned(BeamTimes(audit), BunchRateHz), beam + (long)audit.RunEnd.Missed);
    }

    [Fact]
    public void WhenA100HzTriggerStormComesInRealTimeThenTheDaqRecordsEveryTriggerWithoutDamage()
    {
        // Real time: 3 s of 100 Hz spurious triggers within 6 s of 5 Hz beam, through the whole recording and publishing path.
        var (audit, _) = Run(["--rate", "5", "--events", "330", "--fault", "storm@3:3s"]);

        var (beam, spurious) = Classify(audit);
        output.WriteLine($"real-time storm: {beam} beam + {spurious} spurious events, {audit.RunEnd!.Missed} missed");
        Assert.True(audit.IsComplete, audit.ToString());
        Assert.InRange(spurious, 250, 300);
        Assert.Equal(BunchGrid.Spanned(BeamTimes(audit), BunchRateHz), beam + (long)audit.RunEnd.Missed);
    }

    private static (long Beam, long Spurious) Classify(RunFileAudit audit)
    {
        long beam = BeamTimes(audit).Count;
        return (beam, audit.Events - beam);
    }

    /// <summary>Times of the events with a beam pulse (P(no electron) = e^−20: every bunch has one).</summary>
    private static List<long> BeamTimes(RunFileAudit audit) =>
        audit.EventTimesNs.Where((_, i) => audit.EventPeakVolts[i] > BeamThresholdVolts).ToList();

    private (RunFileAudit Audit, string Stdout) Run(string[] arguments)
    {
        using var dir = new TempDirectory();
        string config = dir.Write("daq.yaml", Config);
        var (code, stdout, stderr) = BeamDaqProgram.Run(ProgramName.Daq, dir.Path,
            ["run", "--sim", "--config", config, "--out", dir.File("runs"), "--publish", "tcp://127.0.0.1:*", .. arguments], TimeSpan.FromMinutes(2));
        Assert.True(code == ExitCodes.Success, $"exit {code}: {BeamDaqProgram.Tail(stderr)}");
        return (RunFileAudit.Of(dir.File("runs/run_000001.bdq")), stdout);
    }
}
