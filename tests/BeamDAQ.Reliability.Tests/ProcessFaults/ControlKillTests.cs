using BeamDAQ.Control.Catalog;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.ProcessFaults;

/// <summary>
/// SIGKILL of the control node at a random moment around a run start — before the run number is taken, between the
/// catalog and the front end, or while the run is recording — then a restart: the new control node adopts a run the
/// front end still records, or closes a run it never got going, and afterwards every run in the catalog is closed,
/// numbered once, and its counts match its file. The front end never stops recording because run control died.
/// </summary>
[Collection(ProcessFaultCollection.Name)]
public sealed class ControlKillTests(ITestOutputHelper output)
{
    [Fact]
    public void WhenTheControlNodeIsKilledAroundRunStartsThenTheRestartedNodeAdoptsOrClosesEveryRunAndNumbersNeverRepeat()
    {
        int trials = Budget.KillTrials;
        var random = new Random(1337);
        using var chain = new BeamDaqChain();
        chain.StartDaq();
        chain.StartControl();
        int adopted = 0, closed = 0;

        for (int trial = 1; trial <= trials; trial++)
        {
            Eventually.True(() => chain.ControlState() is "Idle" or "Configured", $"trial {trial}: control ready", deadline: TimeSpan.FromSeconds(30),
                state: () => $"control state {chain.ControlState()}");
            // The start may never be answered: the node can die in the middle of it.
            string comment = $"control kill trial {trial}";
            var starting = new Thread(() =>
            {
                try { chain.ControlRequest("start", new() { ["comment"] = comment }, TimeSpan.FromSeconds(5)); }
                catch (TimeoutException) { } // the node died before it answered
            });
            starting.Start();
            Thread.Sleep(random.Next(1500)); // the random moment of the fault
            chain.Control!.Kill();
            Assert.True(starting.Join(TimeSpan.FromSeconds(30)), "the start request did not give up");

            var daqWasRecording = chain.DaqStatus()?.GetValueOrDefault("state") as string == "Running";
            chain.StartControl();
            string? state = null;
            Eventually.True(() => (state = chain.ControlState()) is "Idle" or "Configured" or "Running", $"trial {trial}: restarted control settles",
                state: () => $"control state {state}");
            Assert.True(daqWasRecording == (state == "Running"), $"trial {trial}: the daq was {(daqWasRecording ? "" : "not ")}recording, the new node says {state}");
            if (state == "Running")
            {
                adopted++;
                Assert.True(chain.DaqStatus()?.GetValueOrDefault("state") as string == "Running", "the front end stopped recording when run control died");
                var stop = chain.ControlRequest("stop", new() { ["reason"] = "after a control kill" });
                Assert.True(RunControlClient.Ok(stop), RunControlClient.Error(stop));
            }
            else closed++;
            AssertCatalogConsistent(chain, trial);
            output.WriteLine($"trial {trial}: control killed; the new node found the daq {(daqWasRecording ? "recording: run adopted and stopped" : "idle: nothing to adopt")}");
        }
        output.WriteLine($"{trials} control kills: {adopted} runs adopted, {closed} restarts with no run going");
    }

    /// <summary>Every run closed (ended or aborted), numbered 1..n once, and its counts those of its file.</summary>
    private static void AssertCatalogConsistent(BeamDaqChain chain, int trial)
    {
        using var catalog = chain.OpenCatalog();
        var runs = catalog.ListRuns().OrderBy(r => r.Run).ToList();
        Assert.Equal(Enumerable.Range(1, runs.Count).Select(r => (long)r), runs.Select(r => r.Run));
        foreach (var summary in runs)
        {
            var run = catalog.GetRun(summary.Run);
            Assert.True(run.State is RunState.Ended or RunState.Aborted, $"trial {trial}: run {run.Run} is still {run.State}");
            if (run.FilePath is null || !File.Exists(run.FilePath))
            {
                // Closed before the front end created a file: nothing was recorded.
                Assert.True(run.Events is null or 0, $"trial {trial}: run {run.Run} has {run.Events} events but no file");
                continue;
            }
            var audit = RunFileAudit.Of(run.FilePath);
            Assert.True(audit.Problems.Count == 0 || audit.Records == 0, audit.ToString());
            Assert.True(audit.Events == (run.Events ?? 0), $"trial {trial}: run {run.Run}: catalog {run.Events} events, file {audit.Events}");
            if (run.State == RunState.Ended) Assert.True(audit.IsComplete, audit.ToString());
        }
        var files = Directory.EnumerateFiles(chain.RunsDirectory, "run_*.bdq").Select(Path.GetFileName).ToList();
        Assert.Equal(files.Count, files.Distinct().Count());
        Assert.All(files, f => Assert.Contains(runs, r => f == $"run_{r.Run:D6}.bdq"));
    }
}
