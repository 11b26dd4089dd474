using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BeamDAQ.Analysis.Commands;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Tests.Fitting;

public sealed class FitCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-fit-command-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    private static (int Exit, string Out) Run(params string[] args)
    {
        var output = new StringWriter();
        var console = new CommandConsole(output, new StringWriter());
        int exit = CommandLineHost.Run(new RootCommand { FitCommand.Create(console) }, args);
        return (exit, output.ToString());
    }

    private string WriteVolts(string name, double lambda, int bunches, int seed)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllLines(path, FitToys.Amplitudes(lambda, bunches, seed).Select(mv => (mv / 1000).ToString("R", CultureInfo.InvariantCulture)));
        return path;
    }

    [Fact]
    public void WhenJsonIsAskedForThenOneObjectCarriesTheContractKeysAndFeedsBackAsACalibration()
    {
        string calibration = WriteVolts("calibration.csv", 2.0, 3000, 51);
        var (exit, text) = Run("fit", "--amplitudes", calibration, "--json");

        Assert.Equal(ExitCodes.Success, exit);
        using (var json = JsonDocument.Parse(text))
        {
            var root = json.RootElement;
            foreach (string key in new[] { "lambda", "lambda_error", "lambda_interval", "lambda_zero", "lambda_zero_error", "lambda_mean", "gain", "pedestal", "noise", "chi2", "ndf", "p_value", "converged", "n_events", "model", "warnings", "covariance", "response" })
                Assert.True(root.TryGetProperty(key, out _), $"missing key {key}");
            Assert.Equal(3000, root.GetProperty("n_events").GetInt32());
            Assert.True(root.GetProperty("converged").GetBoolean());
            Assert.Equal("landau", root.GetProperty("model").GetString());
            Assert.InRange(root.GetProperty("lambda").GetDouble(), 1.8, 2.2);
            Assert.InRange(root.GetProperty("pedestal").GetDouble(), 3.0, 3.6); // reported in mV
        }
        string calibrationJson = Path.Combine(_directory, "calibration.json");
        File.WriteAllText(calibrationJson, text);

        string beam = WriteVolts("beam.csv", 8.7, 3000, 52);
        var (exit2, text2) = Run("fit", "--amplitudes", beam, "--fix-response-from", calibrationJson, "--json");
        Assert.Equal(ExitCodes.Success, exit2);
        using var fixedJson = JsonDocument.Parse(text2);
        Assert.True(fixedJson.RootElement.GetProperty("lambda_error_calibration").GetDouble() > 0);
        Assert.InRange(fixedJson.RootElement.GetProperty("lambda").GetDouble(), 8.0, 9.4);
    }

    [Fact]
    public void WhenALineOfTheCsvIsBadThenTheExitCodeIsTwoAndNothingIsFitted()
    {
        string path = Path.Combine(_directory, "bad.csv");
        File.WriteAllLines(path, ["0.0031", "0.0150", "0.0x2"]);
        var (exit, text) = Run("fit", "--amplitudes", path);
        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Equal("", text);
    }

    [Fact]
    public void WhenTheHumanSummaryIsPrintedThenItShowsLambdaTheCrossChecksAndTheStatus()
    {
        string path = WriteVolts("summary.csv", 0.7, 2000, 53);
        var (exit, text) = Run("fit", "--amplitudes", path, "--unit", "V");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("λ  = ", text);
        Assert.Contains("λ0 = ", text);
        Assert.Contains("mean method", text);
        Assert.Contains("status: converged", text);
    }
}
