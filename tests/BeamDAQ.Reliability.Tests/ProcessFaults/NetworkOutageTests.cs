using BeamDAQ.Control.Catalog;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.ProcessFaults;

/// <summary>
/// A node cut off from the front end for a while (<c>BEAMDAQ_OUTAGE_S</c>; 30 s for the full figure) and then back:
/// the connection is reset and refused by a relay in between, so ZeroMQ must reconnect on its own; what was published
/// meanwhile is lost to that node and reported from the sequence numbers, to the message; the run itself goes on.
/// </summary>
[Collection(ProcessFaultCollection.Name)]
public sealed class NetworkOutageTests(ITestOutputHelper output)
{
    [Fact]
    public void WhenTheMonitorLosesTheDaqForAWhileThenItReconnectsByItselfAndCountsEveryEventItMissed()
    {
        using var chain = new BeamDaqChain();
        using var link = new TcpOutageProxy(chain.DaqPublish);
        chain.MonitorSeesDaqPublish = link.Endpoint;
        chain.StartDaq();
        chain.StartControl();
        chain.StartAnalysis();
        Eventually.True(() => chain.ControlState() is "Idle" or "Configured", "control ready");
        var start = chain.ControlRequest("start", new() { ["comment"] = "monitor outage" });
        Assert.True(RunControlClient.Ok(start), RunControlClient.Error(start));
        Eventually.True(() => Status(chain, "events_total") > 100, "the monitor receiving events");

        link.Cut();
        Thread.Sleep(Budget.Outage); // the outage itself: its length is the fault, not a wait for a condition
        long beforeRestore = Status(chain, "events_total");
        link.Restore();
        Eventually.True(() => Status(chain, "events_total") > beforeRestore + 50, "the monitor receiving again after the outage", deadline: TimeSpan.FromSeconds(60));
        Assert.True(link.ConnectionsAccepted >= 2, "the monitor did not reconnect");

        var stop = chain.ControlRequest("stop");
        Assert.True(RunControlClient.Ok(stop), RunControlClient.Error(stop));
        var audit = RunFileAudit.Of((string)start["file"]!);
        Assert.True(audit.IsComplete, audit.ToString());
        // Every event the daq published is either received or counted missed from the evt sequence (or dropped and counted).
        long Accounted() => Status(chain, "events_total") + Status(chain, "missed_by_monitor") + Status(chain, "dropped_by_monitor");
        Eventually.True(() => Accounted() == audit.Events, "the monitor's events + missed = the events in the file",
            state: () => $"received {Status(chain, "events_total")} + missed {Status(chain, "missed_by_monitor")} + dropped {Status(chain, "dropped_by_monitor")} vs {audit.Events} in the file");
        long missed = Status(chain, "missed_by_monitor");
        Assert.True(missed > 0, "no event was reported missed over the outage");
        output.WriteLine($"{Budget.Outage.TotalSeconds:F0} s outage: monitor received {Status(chain, "events_total")}, reported {missed} missed from seq gaps; the file has {audit.Events}");
    }

    [Fact]
    public void WhenTheControlNodeLosesTheDaqForAWhileThenTheRunGoesOnAndTheNodeReconnectsReportingTheGap()
    {
        // The shipped heartbeat time-out (5 s): the CI outage is shorter, the full 30 s one longer.
        using var chain = new BeamDaqChain(heartbeatTimeoutSeconds: 5);
        using var commands = new TcpOutageProxy(chain.DaqControl);
        using var heartbeats = new TcpOutageProxy(chain.DaqPublish);
        chain.ControlSeesDaqControl = commands.Endpoint;
        chain.ControlSeesDaqPublish = heartbeats.Endpoint;
        chain.StartDaq();
        chain.StartControl();
        Eventually.True(() => chain.ControlState() is "Idle" or "Configured", "control ready");
        var start = chain.ControlRequest("start", new() { ["comment"] = "control outage" });
        Assert.True(RunControlClient.Ok(start), RunControlClient.Error(start));
        long run = Convert.ToInt64(start["run"]);
        Eventually.True(() => DaqMessages(chain, "delivered") > 4, "heartbeats reaching the control node");

        commands.Cut();
        heartbeats.Cut();
        Thread.Sleep(Budget.Outage); // the outage itself
        string? during = chain.ControlState();
        long deliveredBefore = DaqMessages(chain, "delivered");
        commands.Restore();
        heartbeats.Restore();

        // The front end never stopped recording; the node reconnects by itself and reports what it missed.
        Assert.Equal("Running", chain.DaqStatus()?.GetValueOrDefault("state") as string);
        Eventually.True(() => DaqMessages(chain, "delivered") > deliveredBefore + 4, "heartbeats arriving again after the outage", deadline: TimeSpan.FromSeconds(60));
        Assert.True(heartbeats.ConnectionsAccepted >= 2, "the control node did not reconnect to the daq's publisher");
        long missed = DaqMessages(chain, "missed");
        Assert.True(missed >= (long)(Budget.Outage.TotalSeconds / 0.25) - 2, $"only {missed} daq messages reported missed over a {Budget.Outage.TotalSeconds:F0} s outage of 4 Hz heartbeats");

        // And it agrees with the front end about the run: still Running it, as the catalog says.
        string? after = null;
        Eventually.True(() => (after = chain.ControlState()) == "Running", "control and daq agree the run goes on",
            deadline: TimeSpan.FromSeconds(30), state: () => $"control state {after} (during the outage: {during}); the daq records run {run}");
        output.WriteLine($"{Budget.Outage.TotalSeconds:F0} s outage: control said {during} during it, {after} after; {missed} daq messages reported missed from seq gaps");

        var stop = chain.ControlRequest("stop");
        Assert.True(RunControlClient.Ok(stop), RunControlClient.Error(stop));
        using var catalog = chain.OpenCatalog();
        var record = catalog.GetRun(run);
        var audit = RunFileAudit.Of(record.FilePath!);
        Assert.True(audit.IsComplete, audit.ToString());
        Assert.Equal(RunState.Ended, record.State);
        Assert.Equal(audit.Events, record.Events);
    }

    private static long DaqMessages(BeamDaqChain chain, string key)
    {
        try
        {
            return chain.ControlRequest("status", timeout: TimeSpan.FromSeconds(3)).GetValueOrDefault("daq_messages") is Dictionary<string, object?> m
                ? Convert.ToInt64(m.GetValueOrDefault(key) ?? -1L)
                : -1;
        }
        catch (TimeoutException) { return -1; }
    }

    private static long Status(BeamDaqChain chain, string key) =>
        chain.MonitorState()?["status"]?[key]?.GetValue<long>() ?? -1;
}
