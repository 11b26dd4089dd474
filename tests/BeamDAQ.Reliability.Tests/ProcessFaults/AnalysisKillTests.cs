using BeamDAQ.Control.Catalog;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.ProcessFaults;

/// <summary>
/// SIGKILL of the analysis (the live monitor) at random moments during a run: the front end never notices (the run
/// file is complete and matches the catalog), the restarted monitor picks the stream up again and publishes fits, and
/// the control node keeps storing them. (Exact trigger accounting is proven in simulated time by the device-fault
/// tests; in real time at 100 Hz an event's host time can lag its bunch by more than half a period on a loaded machine.)
/// </summary>
[Collection(ProcessFaultCollection.Name)]
public sealed class AnalysisKillTests(ITestOutputHelper output)
{
    [Fact]
    public void WhenTheAnalysisIsKilledDuringARunThenTheRunIsUnaffectedAndTheRestartedMonitorResumes()
    {
        int trials = Budget.KillTrials;
        var random = new Random(2024);
        using var chain = new BeamDaqChain();
        chain.StartDaq();
        chain.StartControl();
        chain.StartAnalysis();
        Eventually.True(() => chain.ControlState() is "Idle" or "Configured", "control ready");
        var start = chain.ControlRequest("start", new() { ["comment"] = "analysis kills" });
        Assert.True(RunControlClient.Ok(start), RunControlClient.Error(start));
        long run = Convert.ToInt64(start["run"]);

        for (int trial = 1; trial <= trials; trial++)
        {
            Thread.Sleep(300 + random.Next(1500)); // the random moment of the fault
            chain.Analysis!.Kill();
            chain.StartAnalysis();
            // Receiving again: its event count moves, and fits come back.
            long before = EventsSeen(chain);
            Eventually.True(() => EventsSeen(chain) > before + 50, $"trial {trial}: the restarted monitor receives events");
            Eventually.True(() => FitsPublished(chain) > 0, $"trial {trial}: the restarted monitor publishes fits", deadline: TimeSpan.FromSeconds(30),
                state: () => $"{chain.MonitorState()?["status"]?.ToJsonString()}; RSS {chain.Analysis!.ResidentBytes() >> 20} MiB; stderr: {BeamDaqProgram.Tail(chain.Analysis.Stderr, 15)}");
            output.WriteLine($"trial {trial}: monitor killed and restarted; receiving and fitting again");
        }

        // The control node goes on storing fits from the last restarted monitor, not only those from before the kills.
        int StoredFits() { using var c = chain.OpenCatalog(); return c.GetFits(run).Count; }
        int storedAfterLastRestart = StoredFits();
        Eventually.True(() => StoredFits() > storedAfterLastRestart, "the control node stores fits of the restarted monitor", deadline: TimeSpan.FromSeconds(30));

        Assert.Equal("Running", chain.ControlState());
        var stop = chain.ControlRequest("stop");
        Assert.True(RunControlClient.Ok(stop), RunControlClient.Error(stop));
        using var catalog = chain.OpenCatalog();
        var record = catalog.GetRun(run);
        var audit = RunFileAudit.Of(record.FilePath!);
        Assert.True(audit.IsComplete, audit.ToString());
        Assert.Equal(audit.Events, record.Events);
        Assert.NotEmpty(catalog.GetFits(run));
        output.WriteLine($"run {run}: {audit.Events} events, {audit.RunEnd!.Missed} missed, {catalog.GetFits(run).Count} fits stored across {trials} monitor kills");
    }

    private static long EventsSeen(BeamDaqChain chain) =>
        chain.MonitorState()?["status"]?["events_total"]?.GetValue<long>() ?? -1;

    private static long FitsPublished(BeamDaqChain chain) =>
        chain.MonitorState()?["status"]?["fits_published"]?.GetValue<long>() ?? 0;
}
