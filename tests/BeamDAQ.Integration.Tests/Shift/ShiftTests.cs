using System.Globalization;
using System.Text.Json;
using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Integration.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Integration.Tests.Shift;

/// <summary>
/// The main job, <c>run-scripts/shift.sh --quick</c>, end to end: what it prints, what it leaves in the catalog and
/// the run directory, and whether the live fits and the scan reproduce the facility's calibrated beam. (The control
/// node's own process tests cover the catalog's export, restarts and faults; these cover the script.)
/// </summary>
[Collection(QuickShiftCollection.Name)]
public sealed class ShiftTests(QuickShift shift)
{
    /// <summary>A fitted λ agrees with the beam when it is within this many of its own standard errors.</summary>
    private const double Tolerance = 4;
    private const double HighLambda = 5;

    [Fact]
    public void WhenAQuickShiftRunsThenItSucceedsPrintingTheMonitorAddressAndOneTableRowPerSetting()
    {
        Assert.True(shift.First.ExitCode == 0, shift.First.Transcript());
        string output = shift.First.Out;
        Assert.Matches(@"Live monitor: http://127\.0\.0\.1:\d+/", output);
        for (int i = 0; i < 4; i++)
        {
            // run, exit aperture as the jaws stood, λ ± Δλ, λ₀, paper λ, facility λ, pull, verdict, events, file
            double paper = QuickShift.Settings[i].PaperLambda;
            Assert.Matches(string.Create(CultureInfo.InvariantCulture,
                $@"\n\s+{i + 1}\s+\d+\.\d\d × \d+\.\d\d\s+\d+\.\d{{3}} ± \d+\.\d{{3}}\s.*\s{paper:0.0}\s+\d+\.\d{{3}}\s+[-+]\d+\.\d\s+ok\s+1,500\s+\S*run_{i + 1:000000}\.bdq"), output);
        }
        Assert.Contains("every fitted λ agrees with the facility's calibration", output);
        Assert.Contains("threshold-linear fit of λ against meta.exit_aperture_x_mm, 3 point(s)", output);
    }

    [Fact]
    public void WhenAQuickShiftRunsThenTheCatalogHoldsItsFourRunsWithAperturesBeamEnergyCountsAndFileChecksums()
    {
        using var catalog = shift.Catalog();
        for (int i = 0; i < 4; i++)
        {
            var (x, y, _, figure) = QuickShift.Settings[i];
            var run = catalog.GetRun(i + 1);
            string which = $"run {run.Run} ({x} × {y} mm²)";
            Assert.True(run.State == RunState.Ended, $"{which}: {run.State} ({run.EndReason})");
            Assert.Contains($"LEETECH Fig. {figure}", run.Comment);
            Assert.Equal(QuickShift.FirstEvents, run.Events);
            Assert.NotNull(run.MissedTriggers);
            Assert.Equal(x, run.Settings.ExitCollimator!.ApertureXMm, 0.02);
            Assert.Equal(y, run.Settings.ExitCollimator.ApertureYMm, 0.02);
            Assert.Equal(2.6, run.Settings.EntranceCollimator!.ApertureXMm, 0.02);
            Assert.Equal(1.8, run.Settings.EntranceCollimator.ApertureYMm, 0.02);
            Assert.Equal(2.7, run.Settings.BeamEnergyMeV!.Value, 0.01);

            Assert.Equal(Path.Combine(shift.RunsDirectory, $"run_{run.Run:000000}.bdq"), run.FilePath);
            var (size, sha256) = RunFileDigest.Compute(run.FilePath!);
            Assert.Equal(size, run.FileSizeBytes);
            Assert.Equal(sha256, run.FileSha256);
            var scan = RunFileScanner.Scan(run.FilePath!);
            Assert.True(scan.IsComplete, $"{which}: {scan.EndDescription}");
            Assert.Equal(QuickShift.FirstEvents, scan.RecordsByTopic[Topics.Event]);
        }
    }

    [Fact]
    public void WhenAQuickShiftRunsThenEachRunsFinalLiveFitIsInTheCatalogAndAgreesWithTheFacilityCalibrationWithinItsError()
    {
        var curve = FacilityCurve.FromConfiguration();
        using var catalog = shift.Catalog();
        for (int i = 0; i < 4; i++)
        {
            var (x, y, paper, _) = QuickShift.Settings[i];
            var run = catalog.GetRun(i + 1);
            double beam = curve.Lambda(run);
            // The calibration itself: the model at the jaws' actual positions reproduces the paper's λ.
            Assert.Equal(paper, beam, paper * 0.03);

            var final = catalog.GetFits(run.Run).Where(IsFinal).ToList();
            string which = $"run {run.Run} ({x} × {y} mm², beam λ {beam:0.000})";
            Assert.True(final.Count > 0, $"{which}: no final fit from the monitor in the catalog\n{shift.First.Transcript()}");
            var fit = final[^1];
            Assert.True(fit.Converged, $"{which}: the final fit did not converge");
            Assert.StartsWith("BeamDAQ ", fit.SoftwareVersion);
            // The live monitor saw (nearly) the whole run at the quick shift's bunch rate.
            long fitted = FitEvents(fit);
            Assert.True(fitted >= 0.9 * run.Events!.Value, $"{which}: the live fit used {fitted} of {run.Events} events");
            double error = fit.LambdaError!.Value;
            // From λ = 5 on, a free single-electron response is degenerate with λ (DESIGN §6): the monitor fixes it
            // from one of the shift's earlier low-λ runs and names that run in the stored result.
            long? responseFrom = ResponseFromRun(fit);
            if (beam >= HighLambda)
                Assert.True(responseFrom is >= 1 and < 4, $"{which}: the response was not fixed from an earlier run of the shift (response_from_run {responseFrom})");
            else
                Assert.Null(responseFrom);
            Assert.True(Math.Abs(fit.Lambda - beam) <= Tolerance * error,
                $"{which}: fitted λ = {fit.Lambda:0.000} ± {error:0.000} is {(fit.Lambda - beam) / error:+0.0;-0.0} σ from the beam's λ");
            // The shift's table shows this very fit.
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{fit.Lambda:0.000} ± {error:0.000}"), shift.First.Out);
        }
    }

    [Fact]
    public void WhenAQuickShiftScansTheExitApertureThenTheScanRecoversTheFacilityCurveWithinItsErrors()
    {
        string scanJson = Path.Combine(QuickShift.LogDirectory(shift.First), "scan.json");
        Assert.True(File.Exists(scanJson), $"the shift left no {scanJson}\n{shift.First.Transcript()}");
        using var scan = JsonDocument.Parse(File.ReadAllText(scanJson));
        Assert.Equal("meta.exit_aperture_x_mm", scan.RootElement.GetProperty("key").GetString());

        var curve = FacilityCurve.FromConfiguration();
        using var catalog = shift.Catalog();
        var known = new List<CurvePoint>();
        var points = scan.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([1L, 2L, 3L], points.Select(p => p.GetProperty("run").GetInt64()));
        foreach (var point in points)
        {
            var run = catalog.GetRun(point.GetProperty("run").GetInt64());
            double x = point.GetProperty("x").GetDouble(), lambda = point.GetProperty("lambda").GetDouble();
            double error = point.GetProperty("lambda_error").GetDouble(), beam = curve.Lambda(run);
            Assert.Equal(run.Settings.ExitCollimator!.ApertureXMm, x, 1e-9);
            Assert.True(Math.Abs(lambda - beam) <= Tolerance * error,
                $"run {run.Run} at x = {x} mm: λ = {lambda:0.000} ± {error:0.000}, beam λ {beam:0.000}");
            known.Add(new CurvePoint(x, beam, error));
        }

        // The known curve, fitted the same way with the same errors, against the scan's fit of the measured λ.
        var expected = CurveFitter.Fit(CurveModel.ThresholdLinear, known);
        Assert.True(expected.IsValid, expected.Problem);
        var fit = scan.RootElement.GetProperty("fit");
        Assert.Equal("threshold-linear", fit.GetProperty("model").GetString());
        Assert.True(fit.GetProperty("valid").GetBoolean());
        for (int i = 0; i < 2; i++)
        {
            string name = expected.ParameterNames[i];
            var parameter = fit.GetProperty("parameters").GetProperty(name);
            double value = parameter.GetProperty("value").GetDouble(), error = parameter.GetProperty("error").GetDouble();
            Assert.True(Math.Abs(value - expected.Values[i]) <= 3 * error,
                $"{name} = {value:0.0000} ± {error:0.0000} from the scan, {expected.Values[i]:0.0000} from the facility's curve");
        }
    }

    [Fact]
    public void WhenASecondShiftRunsInTheSameDirectoryThenItsRunsContinueTheNumbersAndTheFirstShiftsFilesAreUnchanged()
    {
        Assert.True(shift.Second.ExitCode == 0, shift.Second.Transcript());
        Assert.Equal(4, shift.FirstDigests.Count);
        using var catalog = shift.Catalog();
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L], catalog.ListRuns().Select(r => r.Run).Order());
        foreach (var (file, sha256) in shift.FirstDigests)
            Assert.Equal(sha256, RunFileDigest.Compute(file).Sha256);
        for (int run = 5; run <= 8; run++)
        {
            var record = catalog.GetRun(run);
            Assert.Equal(RunState.Ended, record.State);
            Assert.Equal(QuickShift.SecondEvents, record.Events);
            Assert.Equal(Path.Combine(shift.RunsDirectory, $"run_{run:000000}.bdq"), record.FilePath);
            Assert.Equal(record.FileSha256, RunFileDigest.Compute(record.FilePath!).Sha256);
        }
        Assert.NotEqual(QuickShift.LogDirectory(shift.First), QuickShift.LogDirectory(shift.Second));
    }

    [Fact]
    public void WhenAShiftEndsThenNoProcessItStartedIsLeftRunning()
    {
        Assert.True(shift.LeftAfterFirst.Count == 0, "left after the first shift:\n" + string.Join("\n", shift.LeftAfterFirst));
        Assert.True(shift.LeftAfterSecond.Count == 0, "left after the second shift:\n" + string.Join("\n", shift.LeftAfterSecond));
    }

    private static bool IsFinal(FitRecord fit) =>
        fit.ResultJson is { } json && JsonDocument.Parse(json).RootElement.TryGetProperty("final", out var final) && final.ValueKind == JsonValueKind.True;

    private static long? ResponseFromRun(FitRecord fit)
    {
        using var result = JsonDocument.Parse(fit.ResultJson!);
        return result.RootElement.TryGetProperty("response_from_run", out var run) && run.ValueKind == JsonValueKind.Number ? run.GetInt64() : null;
    }

    private static long FitEvents(FitRecord fit)
    {
        using var result = JsonDocument.Parse(fit.ResultJson!);
        return result.RootElement.GetProperty("events").GetInt64();
    }
}
