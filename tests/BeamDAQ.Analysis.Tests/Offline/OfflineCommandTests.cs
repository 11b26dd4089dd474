using System.CommandLine;
using System.Text.Json;
using BeamDAQ.Analysis.Commands;
using BeamDAQ.Analysis.Tests.Support;
using BeamDAQ.Protocol.Hosting;
using Serilog.Core;

namespace BeamDAQ.Analysis.Tests.Offline;

/// <summary>The offline commands end to end, in process: run files written like the acquisition writes them.</summary>
public sealed class OfflineCommandTests : IDisposable
{
    private readonly TestRunFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static (int Exit, string Out) Run(Func<CommandConsole, Command> create, params string[] args)
    {
        var output = new StringWriter();
        var console = new CommandConsole(output, new StringWriter());
        int exit = CommandLineHost.Run(new RootCommand { create(console) }, args);
        return (exit, output.ToString());
    }

    [Fact]
    public void WhenOneFileIsDamagedThenAnalyzeReportsItsOffsetAndStillTabulatesEveryFile()
    {
        var good = _files.Write("run_0001.bdq", events: 120, lambda: 1, run: 1, aperture: 1.2);
        var bad = _files.Write("run_0002.bdq", events: 120, lambda: 1, run: 2, aperture: 6.9);
        long damagedAt = bad.Records[61].Offset;
        TestRunFiles.DamagePayload(bad.Path, damagedAt);

        var (exit, text) = Run(c => AnalyzeCommand.Create(c, logger: Logger.None), "analyze", good.Path, bad.Path);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("run_0001.bdq", text);
        Assert.Contains("run_0002.bdq", text);
        Assert.Contains($"1 damaged @ {damagedAt}", text);
        Assert.Contains($"skipped a damaged record and read on: CRC mismatch in the record at offset {damagedAt}", text);
        Assert.Contains("239 events", text);
        Assert.Contains("1.2 × 3.1", text);
    }

    [Fact]
    public void WhenJsonGoesToStdoutThenItIsOneObjectWithEveryFileAndTheTotals()
    {
        var a = _files.Write("a.bdq", events: 80, lambda: 0.7, run: 11);
        var b = _files.Write("b.bdq", events: 50, lambda: 2.2, run: 12, missed: 4);
        var (exit, text) = Run(c => AnalyzeCommand.Create(c, logger: Logger.None), "analyze", a.Path, b.Path, "--json", "-");

        Assert.Equal(ExitCodes.Success, exit);
        using var json = JsonDocument.Parse(text);
        var files = json.RootElement.GetProperty("files");
        Assert.Equal(2, files.GetArrayLength());
        Assert.Equal(11, files[0].GetProperty("run").GetInt32());
        Assert.Equal("CleanEnd", files[1].GetProperty("end_state").GetString());
        Assert.Equal(9.9, files[1].GetProperty("meta").GetProperty("exit_aperture_x_mm").GetDouble());
        Assert.Equal(50, files[1].GetProperty("channels")[0].GetProperty("histogram").GetProperty("entries").GetInt32());
        var combined = json.RootElement.GetProperty("combined");
        Assert.Equal(130, combined.GetProperty("events").GetInt32());
        Assert.Equal(4, combined.GetProperty("missed").GetInt32());
    }

    [Fact]
    public void WhenAFileIsMissingThenAnalyzeFailsWithExitCodeOneAfterAnalysingTheOthers()
    {
        var good = _files.Write("good.bdq", events: 30, lambda: 1);
        var (exit, text) = Run(c => AnalyzeCommand.Create(c, logger: Logger.None), "analyze", good.Path, Path.Combine(_files.Root, "absent.bdq"));
        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("absent.bdq", text);
        Assert.Contains("30 events", text);
    }

    [Theory]
    [InlineData("--polarity", "sideways", "positive or negative")]
    [InlineData("--channel", "5", "allowed 1–4")]
    [InlineData("--signal-window", "10", "START:LENGTH")]
    public void WhenAnOptionIsInvalidThenTheExitCodeIsTwoAndNothingIsAnalysed(string option, string value, string _)
    {
        var good = _files.Write("good.bdq", events: 5, lambda: 1);
        var (exit, text) = Run(c => AnalyzeCommand.Create(c, logger: Logger.None), "analyze", good.Path, option, value);
        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Equal("", text);
    }

    [Fact]
    public void WhenNoiseIsAskedForThenTheBaselineRmsOfEachChannelIsPrintedInMillivolts()
    {
        var run = _files.Write("noise.bdq", events: 100, lambda: 1, channels: 2);
        var (exit, text) = Run(c => NoiseCommand.Create(c, Logger.None), "noise", run.Path, "--json", "--single-electron-mv", "12");
        Assert.Equal(ExitCodes.Success, exit);
        using var json = JsonDocument.Parse(text);
        var channels = json.RootElement.GetProperty("channels");
        Assert.Equal(2, channels.GetArrayLength());
        double rms = channels[1].GetProperty("noise").GetProperty("rms_v").GetDouble();
        Assert.Equal(TestRunFiles.NoiseVolts, rms, 0.05 * TestRunFiles.NoiseVolts);
        Assert.Equal(rms / 0.012, channels[1].GetProperty("noise_electrons").GetDouble(), 1e-12);
        // 100 pre-trigger samples: the 256-sample default segment shrinks to the record, 51 one-sided bins.
        var psd = channels[0].GetProperty("noise").GetProperty("psd");
        Assert.Equal(100, psd.GetProperty("segment_length").GetInt32());
        Assert.Equal(51, psd.GetProperty("density_v2_per_hz").GetArrayLength());
    }

    [Fact]
    public void WhenHotAndColdRunsAreGivenThenTheNoiseFigureFollowsFromTheirPowerRatio()
    {
        // Beam off; the hot run's noise power is 4× the cold one's: Y = 4 (6.02 dB), so NF = ENR − 10·log10(3).
        var cold = _files.Write("cold.bdq", events: 200, lambda: 0, noiseVolts: 0.001, seed: 3);
        var hot = _files.Write("hot.bdq", events: 200, lambda: 0, noiseVolts: 0.002, seed: 4);
        var (exit, text) = Run(c => NoiseFigureCommand.Create(c, Logger.None), "noise-figure", "--hot", hot.Path, "--cold", cold.Path, "--enr-db", "15", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        using var json = JsonDocument.Parse(text);
        var channel = json.RootElement.GetProperty("channels")[0];
        double y = channel.GetProperty("y").GetDouble();
        Assert.Equal(4, y, 0.1);
        Assert.Equal(15 - 10 * Math.Log10(y - 1), channel.GetProperty("noise_figure_db").GetDouble(), 1e-9);
        Assert.InRange(channel.GetProperty("noise_figure_error_db").GetDouble(), 0.001, 0.1);
    }

    [Fact]
    public void WhenHotAndColdAreSwappedThenTheNoiseFigureCommandSaysSoAndFails()
    {
        var cold = _files.Write("cold.bdq", events: 50, lambda: 0, noiseVolts: 0.001, seed: 3);
        var hot = _files.Write("hot.bdq", events: 50, lambda: 0, noiseVolts: 0.002, seed: 4);
        var (exit, text) = Run(c => NoiseFigureCommand.Create(c, Logger.None), "noise-figure", "--hot", cold.Path, "--cold", hot.Path, "--enr-db", "15");
        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("swapped", text);
    }
}
