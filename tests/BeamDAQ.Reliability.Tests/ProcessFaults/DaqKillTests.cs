using BeamDAQ.Control.Catalog;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.ProcessFaults;

/// <summary>
/// SIGKILL of the front end at a random moment of a run, over and over (<c>BEAMDAQ_KILL_TRIALS</c>, 10 for the full
/// figure): the run file keeps every event older than the last flush (≤ 1 s before the kill), whole and decodable; the
/// control node notices, records the run as aborted with exactly what the file holds, recovers by itself once the front
/// end is back, and the next run gets the next number — never one twice.
/// </summary>
[Collection(ProcessFaultCollection.Name)]
public sealed class DaqKillTests(ITestOutputHelper output)
{
    /// <summary>The writer hands records to the OS at the latest 1 s after they were appended; a little for scheduling.</summary>
    private static readonly TimeSpan FlushBound = TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(300);

    [Fact]
    public void WhenTheDaqIsKilledDuringRunsThenNothingBeyondTheLastFlushIsLostAndTheCatalogStaysConsistent()
    {
        int trials = Budget.KillTrials;
        var random = new Random(4711);
        using var chain = new BeamDaqChain();
        chain.StartDaq();
        chain.StartControl();
        var lostWindows = new List<double>();

        for (int trial = 1; trial <= trials; trial++)
        {
            Eventually.True(() => chain.ControlState() is "Idle" or "Configured", $"trial {trial}: control ready", deadline: TimeSpan.FromSeconds(30),
                state: () => $"control state {chain.ControlState()}");
            var startedAt = DateTimeOffset.UtcNow;
            var start = chain.ControlRequest("start", new() { ["comment"] = $"kill trial {trial}" });
            Assert.True(RunControlClient.Ok(start), $"trial {trial}: start refused: {RunControlClient.Error(start)}");
            long run = Convert.ToInt64(start["run"]);
            string file = (string)start["file"]!;

            Thread.Sleep(TimeSpan.FromMilliseconds(300 + random.Next(2500))); // the random moment of the fault, not a wait for a condition
            var killedAt = DateTimeOffset.UtcNow;
            chain.Daq!.Kill();

            // The control node notices the front end is gone: Error.
            Eventually.True(() => chain.ControlState() == "Error", $"trial {trial}: control in Error after the kill", deadline: TimeSpan.FromSeconds(20),
                state: () => $"control state {chain.ControlState()}");
            var audit = RunFileAudit.Of(file);
            Assert.True(audit.EndState is RunFileEndState.CleanEnd or RunFileEndState.TruncatedRecord, audit.ToString());
            Assert.Null(audit.RunEnd);
            // run.begin reaches the disk when the run starts; everything after it is whole.
            Assert.True(audit.Problems.Count == 0, audit.ToString());
            Assert.NotNull(audit.RunBegin);
            var lastOnDisk = audit.EventTimesNs.Count > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(audit.EventTimesNs[^1] / 1_000_000) : startedAt;
            double lostSeconds = (killedAt - lastOnDisk).TotalSeconds;
            lostWindows.Add(lostSeconds);
            Assert.True(lostSeconds <= FlushBound.TotalSeconds, $"trial {trial}: the last event on disk is {lostSeconds:F2} s older than the kill");

            // Its fate unknown to the control node (an outage looks the same): the run stays open until the daq answers.
            using (var catalog = chain.OpenCatalog())
                Assert.Equal(RunState.Running, catalog.GetRun(run).State);

            // The replacement daq answers Idle: the run is closed as aborted with what its file holds; control recovers.
            chain.StartDaq();
            Eventually.True(() => chain.ControlState() is "Idle" or "Configured", $"trial {trial}: control recovered after the daq came back",
                deadline: TimeSpan.FromSeconds(30), state: () => $"control state {chain.ControlState()}");
            using (var catalog = chain.OpenCatalog())
            {
                RunRecord record = null!;
                Eventually.True(() => (record = catalog.GetRun(run)).State == RunState.Aborted, $"trial {trial}: run {run} aborted in the catalog",
                    state: () => $"{record?.State}");
                Assert.Equal(audit.Events, record.Events);
                Assert.Equal(audit.Length, record.FileSizeBytes);
                Assert.Equal(Sha256(file), record.FileSha256);
            }

            output.WriteLine($"trial {trial}: run {run} killed after {audit.Events} events; last event on disk {lostSeconds:F2} s before the kill; recovered");
        }

        // A normal run after all that: the next number, complete.
        var last = chain.ControlRequest("start", new() { ["comment"] = "after the kills", ["events"] = 50L });
        Assert.True(RunControlClient.Ok(last), RunControlClient.Error(last));
        Assert.Equal((long)trials + 1, Convert.ToInt64(last["run"]));
        Eventually.True(() => chain.ControlState() == "Configured", "the last run ended at its event limit");
        using (var catalog = chain.OpenCatalog())
        {
            var runs = catalog.ListRuns();
            Assert.Equal(Enumerable.Range(1, trials + 1).Select(r => (long)r), runs.Select(r => r.Run).Order());
            var final = catalog.GetRun(trials + 1);
            Assert.Equal(RunState.Ended, final.State);
            var audit = RunFileAudit.Of(final.FilePath!);
            Assert.True(audit.IsComplete, audit.ToString());
            Assert.Equal(audit.Events, final.Events);
        }
        Assert.Equal(trials + 1, Directory.EnumerateFiles(chain.RunsDirectory, "*.bdq").Count());
        output.WriteLine($"{trials} kills: at most {lostWindows.Max():F2} s of events lost before a kill (bound {FlushBound.TotalSeconds:F1} s)");
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream)).ToLowerInvariant();
    }
}
