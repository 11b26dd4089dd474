using System.CommandLine;
using System.Text.Json;
using BeamDAQ.Analysis.Commands;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Analysis.Tests.Support;
using BeamDAQ.Protocol.Hosting;
using Serilog.Core;

namespace BeamDAQ.Analysis.Tests.Offline;

/// <summary><c>analyze</c> and <c>scan</c> with <c>--fix-response-from</c>: a high-λ run fitted with the response of a low-λ run.</summary>
public sealed class FixResponseFromTests : IDisposable
{
    private readonly TestRunFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static (int Exit, string Out, string Error) Run(Func<CommandConsole, Command> create, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CommandLineHost.Run(new RootCommand { create(new CommandConsole(output, error)) }, args);
        return (exit, output.ToString(), error.ToString());
    }

    private static JsonElement FirstFit(JsonDocument json) =>
        json.RootElement.GetProperty("files")[0].GetProperty("channels")[0].GetProperty("fit");

    [Fact]
    public void WhenAHighLambdaRunIsAnalysedWithALowLambdaRunsResponseThenTheResponseIsFixedFromItAndItsErrorIsPropagated()
    {
        var calibration = _files.Write("run_0001.bdq", events: 1500, lambda: 1.2, run: 1, seed: 11);
        var beam = _files.Write("run_0004.bdq", events: 1500, lambda: 8.7, run: 4, seed: 12);

        var (exit, text, error) = Run(c => AnalyzeCommand.Create(c, logger: Logger.None),
            "analyze", beam.Path, "--response", "gauss", "--fix-response-from", calibration.Path, "--json", "-");

        Assert.True(exit == ExitCodes.Success, error);
        using var json = JsonDocument.Parse(text);
        var fit = FirstFit(json);
        Assert.True(fit.GetProperty("converged").GetBoolean());
        var details = fit.GetProperty("details");
        var sources = details.GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => (ParameterSource)p.GetProperty("source").GetInt32());
        Assert.Equal(ParameterSource.Calibration, sources["gain"]);
        Assert.Equal(ParameterSource.Calibration, sources["sigma1"]);
        Assert.Equal(ParameterSource.Fitted, sources["lambda"]);
        Assert.True(details.GetProperty("lambda_error_calibration").GetDouble() > 0, "the calibration's uncertainty is part of Δλ");
    }

    [Fact]
    public void WhenTheCalibrationRunIsItselfAtHighLambdaThenTheCommandRefusesItNamingTheFileItsLambdaAndTheAllowedRange()
    {
        var beam = _files.Write("run_0004.bdq", events: 600, lambda: 8.7, run: 4, seed: 13);
        var (exit, text, _) = Run(c => AnalyzeCommand.Create(c, logger: Logger.None),
            "analyze", beam.Path, "--response", "gauss", "--fix-response-from", beam.Path);
        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Equal("", text);
        // The message the command prints (CommandLineHost writes a UsageException's message to stderr).
        var fitter = new MultiplicitySpectrumFitter(((MultiplicitySpectrumFitter)SpectrumFitters.Create("gauss")).Options);
        var e = Assert.Throws<UsageException>(() => CalibrationRun.Load(beam.Path, new OfflineOptions(), fitter));
        Assert.Contains(beam.Path, e.Message);
        Assert.True(e.Message.Contains("λ = "), e.Message);
        Assert.Contains("between 0.3 and 4", e.Message);

        var (missingExit, _, _) = Run(c => ScanCommand.Create(c, logger: Logger.None),
            "scan", beam.Path, "--fix-response-from", Path.Combine(_files.Root, "absent.bdq"));
        Assert.Equal(ExitCodes.BadUsage, missingExit);
        var missing = Assert.Throws<UsageException>(() => CalibrationRun.Load(Path.Combine(_files.Root, "absent.bdq"), new OfflineOptions(), fitter));
        Assert.Contains("absent.bdq", missing.Message);
        Assert.Contains("does not exist", missing.Message);
    }
}
