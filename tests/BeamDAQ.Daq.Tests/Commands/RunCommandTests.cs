using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Daq.Tests.Commands;

/// <summary><c>beamdaq-daq run</c> as the operator types it: the options, the file it leaves, the exit codes.</summary>
public sealed class RunCommandTests
{
    /// <summary>Short records for speed; the detector pulse (peak ≈ 1.1 µs after the trigger) fits well inside.</summary>
    private const string ShortRecords = "digitizer:\n  record_length: 500\n  pre_sample_ratio: 0.2\n";

    [Fact]
    public void WhenRunAtMaxRateWithLambda22ThenTriggersRunWithoutGapAndTheZeroElectronFractionIsPoisson()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("daq.yaml"), ShortRecords);
        var harness = new CommandHarness();
        int exit = harness.Run("run", "--config", dir.File("daq.yaml"), "--sim", "--lambda", "2.2", "--events", "2000", "--rate", "max",
            "--out", dir.Path, "--publish", "tcp://127.0.0.1:*");

        Assert.True(exit == ExitCodes.Success, harness.Error.ToString());
        var run = RecordedRun.Read(dir.File("run_000001.bdq"));
        Assert.Equal(RunFileEndState.CleanEnd, run.EndState);
        var events = run.Events;
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (ulong)i), events.Select(e => e.Trigger));
        Assert.Equal(RunEndReasons.EventLimit, run.End.Reason);
        Assert.Equal(2.2, (double)((IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)run.Begin.Config["simulator"]!)["beam"]!)["lambda"]!);
        Assert.Contains("run 1 ended: event limit", harness.Out.ToString());

        // Amplitude = highest sample in the 3 µs after the trigger minus the pre-trigger mean. The threshold sits halfway
        // between the pedestal peak and the one-electron peak of the amplitude spectrum.
        double[] amplitudes = events.Select(Amplitude).ToArray();
        double pedestal = Mode(amplitudes, -0.002, 0.004);
        double oneElectron = Mode(amplitudes, 0.005, 0.020);
        double threshold = (pedestal + oneElectron) / 2;
        double zeroFraction = amplitudes.Count(a => a < threshold) / (double)amplitudes.Length;
        double expected = Math.Exp(-2.2);
        double sigma = Math.Sqrt(expected * (1 - expected) / amplitudes.Length);
        Assert.True(Math.Abs(zeroFraction - expected) < 4 * sigma,
            $"zero-electron fraction {zeroFraction:F4} vs e^-2.2 = {expected:F4} ± {sigma:F4} (threshold {threshold * 1e3:F2} mV between {pedestal * 1e3:F2} and {oneElectron * 1e3:F2} mV)");
    }

    [Fact]
    public void WhenTheOutputDirectoryCannotBeWrittenThenTheRunIsRefusedWithExitCode2NamingIt()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("not-a-directory"), "");
        string output = Path.Combine(dir.File("not-a-directory"), "runs");
        var harness = new CommandHarness();
        int exit = harness.Run("run", "--sim", "--rate", "max", "--events", "5", "--out", output, "--publish", "tcp://127.0.0.1:*");
        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Contains($"cannot write run files to output directory '{output}'", harness.Error.ToString());
    }

    [Fact]
    public void WhenTheRunFileExistsThenItIsNeverOverwrittenAndTheExitCodeIs2()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("run_000004.bdq"), "keep me");
        var harness = new CommandHarness();
        int exit = harness.Run("run", "--sim", "--rate", "max", "--events", "5", "--run", "4", "--out", dir.Path, "--publish", "tcp://127.0.0.1:*");
        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Contains("already exists", harness.Error.ToString());
        Assert.Contains("the next free one is 5", harness.Error.ToString());
        Assert.Equal("keep me", File.ReadAllText(dir.File("run_000004.bdq")));
    }

    [Fact]
    public void WhenNoRunNumberIsGivenThenTheNextFreeOneIsUsed()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("daq.yaml"), ShortRecords);
        File.WriteAllText(dir.File("run_000041.bdq"), "");
        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.Success, harness.Run("run", "--config", dir.File("daq.yaml"), "--sim", "--rate", "max", "--events", "3", "--out", dir.Path, "--publish", "tcp://127.0.0.1:*"));
        Assert.Equal(42u, RecordedRun.Read(dir.File("run_000042.bdq")).Begin.Run);
    }

    [Fact]
    public async Task WhenInterruptedThenTheRunEndsCleanlyWithReasonOperator()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("daq.yaml"), ShortRecords);
        var harness = new CommandHarness();
        var running = harness.Start("run", "--config", dir.File("daq.yaml"), "--sim", "--rate", "100", "--out", dir.Path, "--publish", "tcp://127.0.0.1:*");
        string file = dir.File("run_000001.bdq");
        Eventually.True(() => File.Exists(file) && RunFileScanner.Scan(file).RecordsByTopic.GetValueOrDefault(Topics.Event) >= 3, "the run is recording");

        harness.Context.Interrupt();
        Assert.Equal(ExitCodes.Success, await running.WaitAsync(TimeSpan.FromSeconds(30)));
        var run = RecordedRun.Read(file);
        Assert.Equal(RunEndReasons.Operator, run.End.Reason);
        Assert.Equal(RunFileEndState.CleanEnd, run.EndState);
        Assert.Contains("run 1 ended: operator", harness.Out.ToString());
    }

    [Fact]
    public void WhenAFaultIsInjectedThenTheOutageIsReportedInTheSummary()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("daq.yaml"), ShortRecords);
        var harness = new CommandHarness();
        int exit = harness.Run("run", "--config", dir.File("daq.yaml"), "--sim", "--rate", "max", "--events", "50", "--fault", "remove@20:1s",
            "--out", dir.Path, "--publish", "tcp://127.0.0.1:*");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("outages    1", harness.Out.ToString());
        Assert.Contains("trigger(s) missed (trigger-counter)", harness.Out.ToString());
    }

    [Theory]
    [InlineData(new[] { "--rate", "fast" }, "--rate 'fast' is not allowed")]
    [InlineData(new[] { "--fault", "explode@3" }, "unknown fault 'explode'")]
    [InlineData(new[] { "--lambda", "-2" }, "simulator.beam.lambda = -2")]
    [InlineData(new[] { "--publish", "udp://x" }, "a ZeroMQ endpoint")]
    public void WhenAnOptionIsInvalidThenNothingStartsAndTheExitCodeIs2(string[] options, string message)
    {
        using var dir = new TempDirectory();
        var harness = new CommandHarness();
        int exit = harness.Run(["run", "--sim", "--out", dir.Path, .. options]);
        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Contains(message, harness.Error.ToString());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.bdq"));
    }

    [Fact]
    public void WhenACountIsZeroThenTheCommandLineIsRejectedWithExitCode2()
    {
        var harness = new CommandHarness();
        var parsed = BeamDAQ.Daq.Commands.DaqCommandLine.Create(harness.Context).Parse(["run", "--sim", "--events", "0"]);
        Assert.Contains(parsed.Errors, e => e.Message.Contains("--events must be at least 1", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.BadUsage, harness.Run("run", "--sim", "--events", "0"));
    }

    [Fact]
    public void WhenSimulatorOptionsAreGivenForTheRealHs4ThenTheyAreRefused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("hs4.yaml"), "digitizer:\n  driver: hs4\n");
        var harness = new CommandHarness();
        int exit = harness.Run("run", "--config", dir.File("hs4.yaml"), "--lambda", "2", "--out", dir.Path);
        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Contains("add --sim", harness.Error.ToString());
    }

    private static double Amplitude(DaqEvent e)
    {
        var channel = e.Channels[0];
        var s = channel.Samples;
        int pre = (int)e.PreSamples;
        double baseline = 0;
        for (int i = 0; i < pre; i++) baseline += s[i];
        baseline /= pre;
        int peak = short.MinValue;
        for (int i = pre; i < Math.Min(s.Length, pre + 150); i++) peak = Math.Max(peak, s[i]);
        return (peak - baseline) * channel.Lsb;
    }

    /// <summary>The centre of the fullest 0.25 mV bin within [<paramref name="low"/>, <paramref name="high"/>) volts.</summary>
    private static double Mode(double[] values, double low, double high)
    {
        const double width = 0.00025;
        int bins = (int)Math.Round((high - low) / width);
        var counts = new int[bins];
        foreach (double v in values)
        {
            int b = (int)Math.Floor((v - low) / width);
            if (b >= 0 && b < bins) counts[b]++;
        }
        int best = Array.IndexOf(counts, counts.Max());
        return low + (best + 0.5) * width;
    }
}
