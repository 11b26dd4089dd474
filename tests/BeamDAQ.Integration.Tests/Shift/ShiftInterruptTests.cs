using BeamDAQ.Control.Catalog;
using BeamDAQ.Integration.Tests.Support;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Integration.Tests.Shift;

/// <summary>A shift stopped with Ctrl-C in the middle of a run.</summary>
public sealed class ShiftInterruptTests
{
    [Fact]
    public void WhenAShiftIsInterruptedMidRunThenTheRunIsStoppedAndRecordedAndEveryProcessItStartedEnds()
    {
        string runsDirectory = Directory.CreateTempSubdirectory("beamdaq-shift-interrupt-").FullName;
        try
        {
            using var script = ShiftScript.Start(runsDirectory, "--quick", "--events", "1000000");
            string file = Path.Combine(runsDirectory, "run_000001.bdq");
            script.WaitUntil(() => File.Exists(file) && new FileInfo(file).Length > 1_000_000, "run 1 recording", QuickShift.Deadline);

            script.SignalGroup(ShiftScript.SigInt);   // what a terminal sends to its foreground job on Ctrl-C
            script.WaitForExit(TimeSpan.FromSeconds(90));

            Assert.True(script.ExitCode == 130, $"exit code {script.ExitCode}\n{script.Transcript()}");
            Assert.Contains("interrupted", script.Error);
            var left = ProcessTable.WithEnvironment("BEAMDAQ_RUNS_DIR", runsDirectory);
            Assert.True(left.Count == 0, "still running:\n" + string.Join("\n", left));
            using var catalog = RunCatalog.OpenSqlite(Path.Combine(runsDirectory, "catalog.sqlite"), RunCatalogOptions.Default with { CreateIfMissing = false });
            var run = catalog.GetRun(1);
            Assert.True(run.State == RunState.Ended, $"run 1: {run.State} ({run.EndReason})\n{script.Transcript()}");
            Assert.InRange(run.Events!.Value, 1, 999_999);
            Assert.Equal(RunFileDigest.Compute(file).Sha256, run.FileSha256);
            var scan = RunFileScanner.Scan(file);
            Assert.True(scan.IsComplete, scan.EndDescription);
        }
        finally
        {
            try
            {
                Directory.Delete(runsDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
