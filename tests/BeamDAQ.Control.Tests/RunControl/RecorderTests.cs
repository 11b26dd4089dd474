using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Recorders;
using BeamDAQ.Control.Tests.Catalog.Support;
using BeamDAQ.Protocol.Events;
using Serilog.Core;
using Reading = BeamDAQ.Control.SlowControl.SlowControlReading;

namespace BeamDAQ.Control.Tests.RunControl;

public sealed class RecorderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-recorders-").FullName;
    private readonly IRunCatalog _catalog;

    public RecorderTests()
    {
        _catalog = RunCatalog.OpenSqlite(Path.Combine(_directory, "catalog.sqlite"), RunCatalogOptions.Default with { Clock = new ManualClock(T0) });
    }

    private static Reading Temperature(double seconds, double value = 22.0) =>
        new("temperatures", "temperature.diamond", value, "degC", T0.AddSeconds(seconds));

    [Fact]
    public void WhenARunIsRecordedThenEveryReadingIsStoredWithItsNumberAndBetweenRunsOnlyOnePerIntervalWithout()
    {
        long? run = null;
        var recorder = new SlowControlRecorder(_catalog, null, () => run, TimeSpan.FromSeconds(60), Logger.None);

        for (int s = 0; s < 180; s += 10) recorder.OnReading(Temperature(s));   // between runs: 0, 60, 120 s kept
        run = _catalog.AllocateRun(new RunStart { Operator = "x", StartUtc = T0.AddSeconds(180) }).Run;
        for (int s = 180; s < 200; s += 1) recorder.OnReading(Temperature(s));   // during the run: all 20
        int stored = recorder.Flush();

        Assert.Equal(23, stored);
        Assert.Equal(3, _catalog.GetSlowControlOutsideRuns().Count);
        Assert.Equal(20, _catalog.GetSlowControl(run.Value).Count);
        Assert.Equal(15, recorder.SkippedBetweenRuns);
        Assert.Equal(0, recorder.Pending);
    }

    [Fact]
    public void WhenReadingsBetweenRunsAreSwitchedOffThenNoneIsStored()
    {
        var recorder = new SlowControlRecorder(_catalog, null, () => null, idleStoreInterval: null, Logger.None);

        recorder.OnReading(Temperature(0));

        Assert.Equal(0, recorder.Flush());
        Assert.Equal(1, recorder.SkippedBetweenRuns);
    }

    [Fact]
    public void WhenTheCatalogRefusesABatchThenTheLossIsCountedNotThrown()
    {
        var recorder = new SlowControlRecorder(_catalog, null, () => 77, TimeSpan.Zero, Logger.None);   // run 77 does not exist

        recorder.OnReading(Temperature(0));
        recorder.OnReading(Temperature(1));

        Assert.Equal(0, recorder.Flush());
        Assert.Equal(2, recorder.Lost);
    }

    [Fact]
    public void WhenAFitArrivesThenItIsStoredWithItsSoftwareAndAMapThatIsNotAFitIsRejectedWithTheReason()
    {
        long run = _catalog.AllocateRun(new RunStart { Operator = "x" }).Run;
        var fits = new FitRecorder(_catalog, Logger.None);

        fits.OnFit(new FitMessage { Run = (uint)run, TimeNs = 0, Lambda = 2.8, LambdaError = 0.1, Converged = true, Software = "BeamDAQ 1.2.3" }.ToMap());
        fits.OnFit(new Dictionary<string, object?> { ["run"] = run, ["t_ns"] = 0L, ["lambda"] = "two", ["lambda_error"] = 0.1 });

        var stored = Assert.Single(_catalog.GetFits(run));
        Assert.Equal("BeamDAQ 1.2.3", stored.SoftwareVersion);
        Assert.Equal(1, fits.Stored);
        Assert.Equal(1, fits.Rejected);
        Assert.Contains("'lambda'", fits.LastRejection);
    }

    public void Dispose()
    {
        _catalog.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
