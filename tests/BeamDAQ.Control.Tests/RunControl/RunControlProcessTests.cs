using System.Diagnostics;
using System.Text.Json;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.Tests.RunControl.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Control.Tests.RunControl;

/// <summary>
/// The real programs as separate processes: the simulated facility, the front end under run control, the analysis
/// monitor and the control node, commanded by <c>beamdaq-control start/stop/status</c> like an operator would.
/// Needs daq/BeamDAQ.Daq and analysis/BeamDAQ.Analysis built in this configuration (run-scripts/test.sh does).
/// </summary>
public sealed class RunControlProcessTests
{
    /// <summary>The paper's exit-collimator openings (mm) and λ (LEETECH, Fig. 6a–d).</summary>
    private static readonly (double X, double Y, double Lambda, string Figure)[] PaperSettings =
        [(1.2, 3.1, 0.7, "6a"), (6.9, 3.1, 2.2, "6b"), (9.9, 3.1, 2.8, "6c"), (9.9, 20.6, 8.7, "6d")];

    /// <summary>
    /// --rate max; a publication queue that holds a whole 300-event run, so the monitor sees every event of these
    /// short runs (with the default queue the front end drops publications under max pacing — never file records).
    /// </summary>
    private const string FastDaq = """
        simulator:
          pacing: max
        publish:
          queue_length: 1000
        """;

    private const string RealtimeDaq = """
        simulator:
          pacing: realtime
          bunch_rate_hz: 100
        """;

    [Fact]
    public void WhenTheShiftScansThePapersFourExitSettingsThenTheCatalogHoldsFourCompleteRunsThatExportAndNumberingSurvivesARestart()
    {
        using var shift = new ShiftProcesses(FastDaq, withMonitor: true);

        for (int i = 0; i < PaperSettings.Length; i++)
        {
            var (x, y, _, figure) = PaperSettings[i];
            var result = shift.Cli("start", "--exit-aperture", $"{x}", $"{y}", "--events", "300", "--comment", $"LEETECH Fig. {figure}", "--wait");
            Assert.True(result.ExitCode == 0, result + "\n" + shift.Transcript());
            Assert.Contains("ended: ended by the front end: event limit; 300 events", result.Out);
            // The monitor fits the run within its fit interval; the next run would clear its spectrum, so the scan waits.
            long run = i + 1;
            WaitUntil(() =>
            {
                using var catalog = shift.Catalog();
                return catalog.GetFits(run).Count > 0;
            }, $"a fit of run {run} stored", shift);
        }

        using (var catalog = shift.Catalog())
        {
            var runs = catalog.ListRuns();
            Assert.Equal([1L, 2L, 3L, 4L], runs.Select(r => r.Run));
            for (int i = 0; i < 4; i++)
            {
                var (x, y, lambda, figure) = PaperSettings[i];
                var run = catalog.GetRun(i + 1);
                Assert.Equal(RunState.Ended, run.State);
                Assert.Equal($"LEETECH Fig. {figure}", run.Comment);
                Assert.Equal("shift crew", run.Operator);
                Assert.Equal(300, run.Events);
                Assert.Equal(x, run.Settings.ExitCollimator!.ApertureXMm, 0.02);
                Assert.Equal(y, run.Settings.ExitCollimator.ApertureYMm, 0.02);
                Assert.Equal(2.6, run.Settings.EntranceCollimator!.ApertureXMm, 0.02);
                Assert.Equal(2.7, run.Settings.BeamEnergyMeV!.Value, 0.01);
                Assert.Equal(500, run.Settings.HvMeasuredVolts!.Value, 1);
                Assert.NotNull(run.DeadTimeFraction);
                var (size, sha) = RunFileDigest.Compute(run.FilePath!);
                Assert.Equal(size, run.FileSizeBytes);
                Assert.Equal(sha, run.FileSha256);
                var scan = RunFileScanner.Scan(run.FilePath!);
                Assert.True(scan.IsComplete, scan.EndDescription);
                Assert.Equal(300, scan.RecordsByTopic[Topics.Event]);
                // The facility's λ for this opening reached the simulated front end: the run records it in its configuration.
                using var configuration = JsonDocument.Parse(run.ConfigurationJson!);
                double simulated = configuration.RootElement.GetProperty("daq").GetProperty("simulator").GetProperty("beam").GetProperty("lambda").GetDouble();
                Assert.Equal(lambda, simulated, 0.05);
                var temperatures = catalog.GetSlowControl(i + 1).Where(r => r.Quantity == "temperature.diamond").ToList();
                Assert.True(temperatures.Count >= 2, $"run {i + 1}: {temperatures.Count} diamond temperatures");
            }
        }

        using (var catalog = shift.Catalog())
        {
            for (int i = 0; i < PaperSettings.Length; i++)
            {
                var fit = catalog.GetFits(i + 1)[^1];
                Assert.StartsWith("BeamDAQ ", fit.SoftwareVersion);
                Assert.StartsWith("compound-poisson/", fit.Model);
                Assert.InRange(fit.Lambda, PaperSettings[i].Lambda * 0.6, PaperSettings[i].Lambda * 1.4);
            }
        }

        var export = shift.Cli("runs", "export", "--format", "json", "--catalog", shift.CatalogPath);
        Assert.True(export.ExitCode == 0, export.ToString());
        using (var exported = JsonDocument.Parse(export.Out))
        using (var catalog = shift.Catalog())
        {
            var runs = FindRuns(exported.RootElement);
            Assert.Equal(4, runs.Count);
            foreach (var run in runs)
            {
                long number = run.GetProperty("run").GetInt64();
                Assert.Equal(catalog.GetRun(number).FileSha256, run.GetProperty("file").GetProperty("sha256").GetString());
                Assert.Equal(300, run.GetProperty("events").GetInt64());
            }
        }

        shift.RestartControl();
        var next = shift.Cli("start", "--events", "50", "--wait");
        Assert.True(next.ExitCode == 0, next + "\n" + shift.Transcript());
        Assert.Contains("run 5 started", next.Out);
    }

    [Fact]
    public void WhenAFacilityDeviceStopsAnsweringThenAnAlarmIsRaisedAndTheRunGoesOnAndWhenTheDaqIsKilledTheRunIsLeftOpenAndTheResetAbortsItWithItsRecoveredEvents()
    {
        using var shift = new ShiftProcesses(RealtimeDaq, withMonitor: false, heartbeatTimeoutS: 2);

        // 1. The whole facility falls silent (SIGSTOP): slow control raises device-lost; the run keeps recording.
        var start = shift.Cli("start", "--comment", "facility glitch");
        Assert.True(start.ExitCode == 0, start + "\n" + shift.Transcript());
        WaitUntil(() => DaqEvents(shift, 1) > 0, "events recorded", shift);
        shift.Facility.Signal(PosixSignalNumber.Stop);
        WaitUntil(() => ActiveAlarms(shift).Contains("device-lost"), "a device-lost alarm", shift);
        long during = DaqEvents(shift, 1);
        WaitUntil(() => DaqEvents(shift, 1) > during, "events still recorded while the facility is silent", shift);
        Assert.Equal("Running", shift.Status().GetProperty("state").GetString());
        shift.Facility.Signal(PosixSignalNumber.Continue);
        WaitUntil(() => !ActiveAlarms(shift).Contains("device-lost"), "the device-lost alarms clear", shift);
        var stop = shift.Cli("stop");
        Assert.True(stop.ExitCode == 0, stop + "\n" + shift.Transcript());
        using (var catalog = shift.Catalog())
        {
            var run = catalog.GetRun(1);
            Assert.Equal(RunState.Ended, run.State);
            Assert.True(run.Events > 0);
            var alarms = catalog.GetAlarms(1);
            Assert.Contains(alarms, a => a.Code == "device-lost" && a.Severity == "error");
            Assert.Contains(alarms, a => a.Code == "device-lost" && a.Message.StartsWith("cleared: "));
        }

        // 2. The front end dies mid-run (SIGKILL): run control notices, aborts the run with what its file holds, Error.
        start = shift.Cli("start", "--comment", "front end killed");
        Assert.True(start.ExitCode == 0, start + "\n" + shift.Transcript());
        // The file is flushed at least every second: past 1.5 s of 100 Hz some of the run is on disk for certain.
        WaitUntil(() => DaqEvents(shift, 2) >= 150, "events recorded in run 2", shift);
        shift.Daq.KillHard();
        WaitUntil(() => shift.Status().GetProperty("state").GetString() == "Error", "run control enters Error", shift);

        var status = shift.Status();
        Assert.StartsWith("front end lost: no daq.status heartbeat", status.GetProperty("cause").GetString());
        using (var catalog = shift.Catalog())
            Assert.Equal(RunState.Running, catalog.GetRun(2).State);   // the daq's fate is unknown: left open
        // The operator gives the run up: it is closed as aborted with what its file holds.
        var reset = shift.Cli("reset");
        Assert.True(reset.ExitCode == 0, reset + "\n" + shift.Transcript());
        using (var catalog = shift.Catalog())
        {
            var run = catalog.GetRun(2);
            Assert.Equal(RunState.Aborted, run.State);
            var scan = RunFileScanner.Scan(run.FilePath!);
            Assert.False(scan.EndsWithRunEnd);
            Assert.Equal(scan.RecordsByTopic.GetValueOrDefault(Topics.Event), run.Events);
            Assert.True(run.Events > 0, $"{run.Events} events recovered from {run.FilePath}");
            Assert.Equal(RunFileDigest.Compute(run.FilePath!).Sha256, run.FileSha256);
            Assert.Contains(catalog.GetAlarms(2), a => a.Code == "daq-lost");
        }
    }

    /// <summary>Events of <paramref name="run"/> in the front end's latest heartbeat (0 while that heartbeat is of another run).</summary>
    private static long DaqEvents(ShiftProcesses shift, long run) =>
        shift.Status().TryGetProperty("daq", out var daq) && daq.GetProperty("state").GetString() == "Running"
            && daq.GetProperty("run").ValueKind == JsonValueKind.Number && daq.GetProperty("run").GetInt64() == run
            ? daq.GetProperty("events").GetInt64() : 0;

    private static string ActiveAlarms(ShiftProcesses shift) =>
        string.Join(",", shift.Status().GetProperty("alarms").EnumerateArray().Select(a => a.GetProperty("code").GetString()));

    private static List<JsonElement> FindRuns(JsonElement export) => [.. export.GetProperty("runs").EnumerateArray()];

    private static void WaitUntil(Func<bool> condition, string what, ShiftProcesses shift)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                File.WriteAllText(Path.Combine(Path.GetTempPath(), "beamdaq-shift-transcript.txt"), shift.Transcript());
                throw new TimeoutException($"not within 60 s: {what}\n{shift.Transcript()}");
            }
            Thread.Sleep(100);
        }
    }
}
