using BeamDAQ.Analysis.Fitting;
using BeamDAQ.Analysis.Fitting.Calibration;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Tests.Fitting;

public sealed class CalibrationTests : IDisposable
{
    private static readonly FitOptions Options = new() { Response = FitToys.Response, AmplitudeUnit = "mV" };
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-calibration-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    [Fact]
    public void WhenTheResponseIsFixedFromACalibrationThenLambdaIsRecoveredAndItsErrorIncludesTheCalibration()
    {
        var calibrationFit = SpectrumFitter.Fit(FitToys.Histogram(2.0, 3000, 31), Options with { ProfileInterval = false });
        Assert.True(calibrationFit.Converged);
        var calibration = ResponseCalibration.FromFit(calibrationFit);
        double scale = calibrationFit.MeanMethod!.SingleElectronMean;

        var result = SpectrumFitter.Fit(FitToys.Histogram(8.7, 3000, 32, scale: scale), Options with { Calibration = calibration });

        Assert.True(result.Converged, result.StatusReason);
        Assert.True(Math.Abs(result.Lambda - 8.7) < 4 * result.LambdaError, $"λ = {result.Lambda} ± {result.LambdaError}");
        Assert.True(result.LambdaErrorCalibration > 0.3 * result.LambdaErrorStatistical, $"calibration part {result.LambdaErrorCalibration}, statistical {result.LambdaErrorStatistical}");
        Assert.Equal(result.LambdaError * result.LambdaError,
            result.LambdaErrorStatistical * result.LambdaErrorStatistical + result.LambdaErrorCalibration * result.LambdaErrorCalibration, 9);
        Assert.Equal(ParameterSource.Calibration, result.Parameter("mpv").Source);
        Assert.Equal(calibration.Value("mpv"), result.Parameter("mpv").Value);
        // Few pedestal entries at λ = 8.7: pedestal and noise come from the calibration as well.
        Assert.Equal(ParameterSource.Calibration, result.Pedestal.Source);
        Assert.True(result.LambdaUpper - result.LambdaLower > 2 * result.LambdaErrorStatistical);
    }

    [Fact]
    public void WhenAFitIsWrittenAsJsonThenItReadsBackAsTheSameCalibration()
    {
        var fit = SpectrumFitter.Fit(FitToys.Histogram(1.6, 2000, 33), Options with { ProfileInterval = false });
        string path = Path.Combine(_directory, "calibration.json");
        File.WriteAllText(path, FitResultJson.ToJson(fit));

        var fromJson = ResponseCalibration.FromJsonFile(path);
        var direct = ResponseCalibration.FromFit(fit);
        Assert.Equal("landau", fromJson.ResponseName);
        Assert.Equal(direct.Names, fromJson.Names);
        Assert.Equal(direct.Values, fromJson.Values);
        for (int i = 0; i < direct.Names.Count; i++)
            for (int j = 0; j < direct.Names.Count; j++)
                Assert.Equal(direct.Covariance[i][j], fromJson.Covariance[i][j], 15);
    }

    [Fact]
    public void WhenTheCalibrationFileIsNotAFitThenTheErrorNamesTheFileAndWhatIsMissing()
    {
        string path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, """{"converged": true, "response": {"name": "landau"}}""");
        var e = Assert.Throws<UsageException>(() => ResponseCalibration.FromJsonFile(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("covariance", e.Message);
    }

    [Fact]
    public void WhenTheCalibrationIsOfAnotherResponseThenTheFitRefusesIt()
    {
        var fit = SpectrumFitter.Fit(FitToys.Histogram(1.6, 2000, 34), Options with { ProfileInterval = false });
        var calibration = ResponseCalibration.FromFit(fit);
        var gauss = new BeamDAQ.Analysis.Spectrum.Responses.GaussianResponse();
        var e = Assert.Throws<ArgumentException>(() => SpectrumFitter.Fit(FitToys.Histogram(1.6, 2000, 35), new FitOptions { Response = gauss, Calibration = calibration }));
        Assert.Contains("landau", e.Message);
    }
}
