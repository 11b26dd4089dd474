using System.Runtime.InteropServices;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Daq.Tests.Commands;

/// <summary><c>serve</c>, <c>replay</c> and <c>devices</c> as commands: options, wiring, messages and exit codes.</summary>
public sealed class ServeAndOtherCommandTests
{
    [Fact]
    public async Task WhenServingThenRunControlConfiguresWithOverridesStartsAndStopsUntilInterrupted()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("daq.yaml"), $"digitizer:\n  record_length: 200\nsimulator:\n  bunch_rate_hz: 50\noutput:\n  directory: \"{dir.Path}\"\n");
        string control = $"tcp://127.0.0.1:{CommandHarness.FreePort()}";
        var harness = new CommandHarness();
        var serving = harness.Start("serve", "--config", dir.File("daq.yaml"), "--sim", "--control", control, "--publish", "tcp://127.0.0.1:*");

        using var zmq = new ZmqContext();
        using var client = new RequestClient(zmq, control, TimeSpan.FromSeconds(10), retries: 0);
        int id = 0;
        Dictionary<string, object?> Send(string cmd, Dictionary<string, object?>? keys = null)
        {
            var request = new Dictionary<string, object?> { ["v"] = 1L, ["cmd"] = cmd, ["id"] = $"t{++id}" };
            foreach (var (k, v) in keys ?? []) request[k] = v;
            Assert.True(client.TryRequest(request, out var reply), client.LastFailure + " / " + harness.Error);
            return reply!;
        }

        Assert.Equal("Idle", Send("ping")["state"]);
        var configured = Send("configure", new() { ["config"] = new Dictionary<string, object?> { ["simulator"] = new Dictionary<string, object?> { ["beam"] = new Dictionary<string, object?> { ["lambda"] = 0.7 } } } });
        Assert.Equal(true, configured["ok"]);
        Assert.Equal(200L, ((IReadOnlyDictionary<string, object?>)configured["applied"]!)["record_length"]); // the file's value, kept under the override
        var started = Send("start", new() { ["run"] = 21L, ["events"] = 10L });
        Assert.Equal(true, started["ok"]);
        Eventually.True(() => (string)Send("status")["state"]! == "Configured", "the run ends at 10 events");

        var run = RecordedRun.Read((string)started["file"]!);
        var beam = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)run.Begin.Config["simulator"]!)["beam"]!;
        Assert.Equal(0.7, beam["lambda"]);
        Assert.Equal(10, run.Events.Count);

        harness.Context.Interrupt();
        Assert.Equal(ExitCodes.Success, await serving.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void WhenServeBindsBeyondLoopbackWithoutATokenThenItRefusesToStart()
    {
        var harness = new CommandHarness();
        int exit = harness.Run("serve", "--sim", "--control", "tcp://0.0.0.0:5556", "--publish", "tcp://127.0.0.1:*");
        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Contains("give a token", harness.Error.ToString());
    }

    [Fact]
    public void WhenTheTokenFileIsEmptyThenServeRefusesToStart()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("token"), "\n");
        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.BadUsage, harness.Run("serve", "--sim", "--token-file", dir.File("token"), "--control", "tcp://0.0.0.0:5556"));
        Assert.Contains("is empty", harness.Error.ToString());
    }

    [Fact]
    public void WhenDevicesIsAskedForTheSimulatorThenItListsTheSimulatedHs4()
    {
        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.Success, harness.Run("devices", "--sim"));
        Assert.Contains("SIM00001", harness.Out.ToString());
        Assert.Contains("Handyscope HS4-50 (simulated)", harness.Out.ToString());
    }

    [SkippableFact]
    public void WhenLibTiePieIsMissingThenDevicesSaysHowToInstallItAndExitsOne()
    {
        if (NativeLibrary.TryLoad("libtiepie-hw.so.1", out var handle))
        {
            NativeLibrary.Free(handle);
            throw new SkipTestException("libtiepie-hw is installed here; the missing-library message cannot be shown");
        }
        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.RuntimeFailure, harness.Run("devices"));
        string error = harness.Error.ToString();
        Assert.Contains("libtiepie-hw.so.1", error);
        Assert.Contains("install TiePie's libtiepie-hw", error);
        Assert.Contains("devices --sim", error);
    }

    [Fact]
    public void WhenARunIsReplayedByTheCommandThenEveryRecordIsPublishedAndCounted()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("daq.yaml"), "digitizer:\n  record_length: 64\n");
        Assert.Equal(ExitCodes.Success, new CommandHarness().Run("run", "--config", dir.File("daq.yaml"), "--sim", "--rate", "max", "--events", "25", "--out", dir.Path, "--publish", "tcp://127.0.0.1:*"));

        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.Success, harness.Run("replay", dir.File("run_000001.bdq"), "--speed", "max", "--publish", "tcp://127.0.0.1:*"));
        Assert.Contains("replayed 27 record(s)", harness.Out.ToString());
        Assert.Contains($"{Topics.Event} 25", harness.Out.ToString());
    }

    [Theory]
    [InlineData("0", "--speed '0' is not allowed")]
    [InlineData("fast", "--speed 'fast' is not allowed")]
    public void WhenTheReplaySpeedIsInvalidThenTheExitCodeIs2(string speed, string message)
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("x.bdq"), "BDQRUN01"u8.ToArray());
        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.BadUsage, harness.Run("replay", dir.File("x.bdq"), "--speed", speed));
        Assert.Contains(message, harness.Error.ToString());
    }
}
