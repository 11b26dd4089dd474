using System.CommandLine;
using System.Text.Json;
using BeamDAQ.Analysis.Commands;
using BeamDAQ.Analysis.Tests.Support;
using BeamDAQ.Protocol.Hosting;
using Serilog.Core;

namespace BeamDAQ.Analysis.Tests.Offline;

/// <summary>The λ scan end to end: run files at several apertures, each fitted, then the characterization curve.</summary>
public sealed class ScanCommandTests : IDisposable
{
    private readonly TestRunFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static (int Exit, string Out) Run(params string[] args)
    {
        var output = new StringWriter();
        var console = new CommandConsole(output, new StringWriter());
        int exit = CommandLineHost.Run(new RootCommand { ScanCommand.Create(console, Logger.None), AnalyzeCommand.Create(console, logger: Logger.None) }, args);
        return (exit, output.ToString());
    }

    [Fact]
    public void WhenLambdaGrowsLinearlyAboveAThresholdApertureThenTheScanRecoversSlopeAndThreshold()
    {
        // λ = 0.5·(P − 1.2) at apertures 2 .. 6 mm; every run carries its aperture in run.begin meta.
        const double slope = 0.5, threshold = 1.2;
        var files = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            double aperture = 2 + i;
            files.Add(_files.Write($"scan_{i}.bdq", events: 1500, lambda: slope * (aperture - threshold), run: (uint)(100 + i), aperture: aperture, seed: 50 + i, samples: 200, pre: 60).Path);
        }

        var (exit, text) = Run(["scan", .. files, "--key", "meta.exit_aperture_x_mm", "--model", "threshold-linear", "--response", "gauss", "--signal-window", "0:40", "--json"]);

        Assert.True(exit == ExitCodes.Success, text);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("points").GetArrayLength());
        Assert.Equal(0, root.GetProperty("excluded").GetArrayLength());
        var fit = root.GetProperty("fit");
        Assert.True(fit.GetProperty("valid").GetBoolean());
        var a = fit.GetProperty("parameters").GetProperty("a");
        var x0 = fit.GetProperty("parameters").GetProperty("x0");
        Assert.InRange((a.GetProperty("value").GetDouble() - slope) / a.GetProperty("error").GetDouble(), -4, 4);
        Assert.InRange((x0.GetProperty("value").GetDouble() - threshold) / x0.GetProperty("error").GetDouble(), -4, 4);
        Assert.InRange(a.GetProperty("error").GetDouble(), 0.001, 0.05);
        Assert.Equal(3, fit.GetProperty("ndf").GetInt32());
    }

    [Fact]
    public void WhenARunLacksTheKeyThenItIsExcludedWithTheReasonAndTheOthersAreFitted()
    {
        var a = _files.Write("a.bdq", events: 400, lambda: 1, aperture: 2, seed: 1, samples: 200, pre: 60).Path;
        var b = _files.Write("b.bdq", events: 400, lambda: 2, aperture: 4, seed: 2, samples: 200, pre: 60).Path;
        var c = _files.Write("c.bdq", events: 400, lambda: 3, aperture: 6, seed: 3, samples: 200, pre: 60).Path;
        var (_, text) = Run("scan", a, b, c, "--key", "meta.beam_energy_mev", "--response", "gauss");
        Assert.Contains("a.bdq: run.begin has no 'meta.beam_energy_mev'", text);
        Assert.Contains("fit failed", text);

        var (exit, table) = Run("scan", a, b, c, "--key", "meta.exit_aperture_x_mm", "--response", "gauss", "--signal-window", "0:40");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("linear fit of λ against meta.exit_aperture_x_mm, 3 point(s)", table);
    }

    [Fact]
    public void WhenTheModelIsUnknownThenTheExitCodeIsTwo()
    {
        var a = _files.Write("a.bdq", events: 10, lambda: 1).Path;
        var (exit, _) = Run("scan", a, "--key", "meta.exit_aperture_x_mm", "--model", "cubic");
        Assert.Equal(ExitCodes.BadUsage, exit);
    }

    [Fact]
    public void WhenAnalyzeFitsAGeneratedRunThenLambdaAgreesWithTheGeneratorAndTheZeroFraction()
    {
        var run = _files.Write("fit.bdq", events: 3000, lambda: 1.6, seed: 9, samples: 200, pre: 60);
        double generated = run.Electrons.Average();
        var (exit, text) = Run("analyze", run.Path, "--response", "gauss", "--signal-window", "0:40", "--json", "-");
        Assert.Equal(ExitCodes.Success, exit);
        using var json = JsonDocument.Parse(text);
        var fit = json.RootElement.GetProperty("files")[0].GetProperty("channels")[0].GetProperty("fit");
        Assert.True(fit.GetProperty("converged").GetBoolean());
        double lambda = fit.GetProperty("lambda").GetDouble(), error = fit.GetProperty("lambda_error").GetDouble();
        Assert.InRange((lambda - generated) / error, -4, 4);
        Assert.Equal(lambda, fit.GetProperty("lambda0").GetDouble(), 4 * fit.GetProperty("lambda0_error").GetDouble());
    }
}
