using System.Text.Json;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.Tests.RunControl.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;
using static BeamDAQ.Control.Tests.RunControl.Support.NodeHarness;

namespace BeamDAQ.Control.Tests.RunControl;

/// <summary>A control node in process, commanded by the real CLI commands over its real endpoint.</summary>
public sealed class ControlNodeTests
{
    private static IRunCatalog Catalog(NodeHarness h) =>
        RunCatalog.OpenSqlite(h.CatalogPath, RunCatalogOptions.Default with { CreateIfMissing = false });

    [Fact]
    public async Task WhenStartWaitsForAnEventsLimitThenTheNodeStopsTheRunAndTheCommandPrintsHowItEnded()
    {
        await using var h = NodeHarness.Start();

        var start = Task.Run(() => h.Cli("start", "--comment", "collimator scan 1/4", "--events", "30", "--wait"));
        WaitUntil(() => h.Daq.State == "Running", "the front end runs");
        h.Daq.Record(30);
        var result = await start.WaitAsync(Deadline);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("run 1 started; file " + h.Daq.FilePath, result.Out);
        Assert.Contains("run 1 ended: events limit reached: 30 of 30; 30 events, 0 missed", result.Out);
        using var catalog = Catalog(h);
        var run = catalog.GetRun(1);
        Assert.Equal(RunState.Ended, run.State);
        Assert.Equal("collimator scan 1/4", run.Comment);
        Assert.Equal("night shift", run.Operator);
        Assert.Equal(30, run.Events);
        Assert.Equal(RunFileDigest.Compute(h.Daq.FilePath!).Sha256, run.FileSha256);
        Assert.Contains("\"daq\":{\"digitizer\":{\"driver\":\"fake\"}}", run.ConfigurationJson);   // from run.begin
    }

    [Fact]
    public async Task WhenStatusIsAskedAsJsonThenItIsOneObjectWithStateFrontEndAndLastRun()
    {
        await using var h = NodeHarness.Start();
        Assert.Equal(0, h.Cli("start").ExitCode);
        h.Daq.Record(4);
        WaitUntil(() => h.Node.Controller.Status().Daq?.Events == 4, "a heartbeat with 4 events");
        Assert.Equal(0, h.Cli("stop", "--reason", "end of shift").ExitCode);
        WaitUntil(() => h.Node.Controller.Status().Daq?.State == "Configured", "a heartbeat after the stop");

        var result = h.Cli("status", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("Configured", root.GetProperty("state").GetString());
        Assert.Equal("ended", root.GetProperty("last_run").GetProperty("state").GetString());
        Assert.Equal("end of shift", root.GetProperty("last_run").GetProperty("reason").GetString());
        Assert.Equal(4, root.GetProperty("last_run").GetProperty("events").GetInt64());
        Assert.Equal(64, root.GetProperty("last_run").GetProperty("file_sha256").GetString()!.Length);
        Assert.Equal("Configured", root.GetProperty("daq").GetProperty("state").GetString());
        Assert.Equal(h.CatalogPath, root.GetProperty("catalog").GetString());
    }

    [Fact]
    public async Task WhenStopIsGivenWithoutARunThenItSaysSoAndSucceeds()
    {
        await using var h = NodeHarness.Start();

        var result = h.Cli("stop");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("no run is being recorded (state Idle): nothing to stop", result.Out.Trim());
    }

    [Theory]
    [InlineData(new[] { "start", "--events", "0" }, "--events 0: expected a positive number of events")]
    [InlineData(new[] { "start", "--exit-aperture", "0", "3.1" }, "exit aperture X = 0 mm; allowed: > 0 and at most 21 mm")]
    [InlineData(new[] { "start", "--exit-aperture", "9.9", "30" }, "exit aperture Y = 30 mm; allowed: > 0 and at most 21 mm")]
    [InlineData(new[] { "status", "--connect", "udp://x" }, "--connect udp://x: expected tcp://HOST:PORT")]
    [InlineData(new[] { "start", "--token-file", "/nonexistent/token" }, "token file '/nonexistent/token': cannot read it")]
    public async Task WhenTheCommandLineIsWrongThenTheCommandExitsWithTwoAndSaysWhatIsAllowed(string[] args, string message)
    {
        await using var h = NodeHarness.Start();

        var result = h.Cli(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.Equal(0, h.Daq.Executed("start"));
    }

    [Theory]
    [InlineData("start", "--exit-aperture", "1.2")]
    [InlineData("start", "--events", "many")]
    [InlineData("stop", "--unknown")]
    public async Task WhenTheCommandLineDoesNotParseThenTheCommandExitsWithTwoAndNothingIsSent(params string[] args)
    {
        await using var h = NodeHarness.Start();

        var result = h.Cli(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain(h.Daq.Received, r => r.Command is "start" or "stop");
    }

    [Fact]
    public void WhenNoControlNodeListensThenTheCommandExitsWithOneNamingTheEndpoint()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var probe = context.CreateSocket(ZmqSocketType.Rep);
        probe.Bind("tcp://127.0.0.1:*");
        string endpoint = probe.LastEndpoint;
        probe.Unbind(endpoint);
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new System.CommandLine.RootCommand("beamdaq-control") { BeamDAQ.Control.Commands.StatusCommand.Create(new CommandConsole(output, error)) };

        int exit = CommandLineHost.Run(root, ["status", "--connect", endpoint, "--timeout", "0.3"]);

        Assert.Equal(1, exit);
        Assert.Contains($"no reply from {endpoint}", error.ToString());
        Assert.Contains("is `beamdaq-control serve` running", error.ToString());
    }

    [Theory]
    [InlineData("{\"cmd\":\"launch\",\"id\":\"a\"}", "unknown command 'launch'; allowed: ping, status, start, stop, reset")]
    [InlineData("{\"cmd\":\"start\"}", "key 'id' = nil; expected a non-empty string")]
    [InlineData("{\"cmd\":\"start\",\"id\":\"b\",\"comment\":\"x\",\"aperture\":3}", "start: unknown key 'aperture'; allowed: operator, comment, exit_aperture_x_mm, exit_aperture_y_mm, events")]
    [InlineData("{\"cmd\":\"start\",\"id\":\"c\",\"events\":\"many\"}", "start: key 'events' = \"many\" (string); expected an integer")]
    [InlineData("{\"cmd\":\"start\",\"id\":\"d\",\"comment\":42}", "start: key 'comment' = 42 (integer); expected a string")]
    [InlineData("{\"id\":\"e\"}", "key 'cmd' = nil; expected one of: ping, status, start, stop, reset")]
    public async Task WhenARequestIsMalformedThenTheNodeRefusesItAsUsageNamingTheKeyAndWhatIsAllowed(string json, string error)
    {
        await using var h = NodeHarness.Start();

        var reply = Send(h, FromJson(json));

        Assert.Equal(false, reply["ok"]);
        Assert.Equal("usage", reply["error_kind"]);
        Assert.StartsWith(error, (string)reply["error"]!);
        Assert.Equal(0, h.Daq.Executed("start"));
        Assert.Equal("Idle", h.Node.Controller.State.State.ToString());
    }

    [Fact]
    public async Task WhenTheSameRequestIdArrivesTwiceThenTheRunIsStartedOnceAndBothGetTheSameReply()
    {
        await using var h = NodeHarness.Start();
        var request = new Dictionary<string, object?> { ["v"] = 1L, ["cmd"] = "start", ["id"] = "retry-me", ["comment"] = "once" };

        var first = Send(h, request);
        var second = Send(h, request);

        Assert.Equal(true, first["ok"]);
        Assert.Equal(first["run"], second["run"]);
        Assert.Equal(first["file"], second["file"]);
        Assert.Equal(1, h.Daq.Executed("start"));
        using var catalog = Catalog(h);
        Assert.Equal(1, catalog.KnownRuns()!.Count);
    }

    [Fact]
    public async Task WhenTheNodeListensBeyondLoopbackThenEveryRequestNeedsTheTokenAndTheTokenIsNeverLogged()
    {
        const string token = "correct-horse-battery-staple";
        await using var h = NodeHarness.Start(listen: "tcp://0.0.0.0:*", token: token);
        string endpoint = h.Node.Endpoint!;
        string port = endpoint[(endpoint.LastIndexOf(':') + 1)..];
        string tokenFile = Path.Combine(h.Directory, "token");
        File.WriteAllText(tokenFile, token + "\n");
        string wrongFile = Path.Combine(h.Directory, "wrong");
        File.WriteAllText(wrongFile, "not-the-token\n");

        var refused = h.Cli("status", "--connect", $"tcp://127.0.0.1:{port}");
        var wrong = h.Cli("start", "--connect", $"tcp://127.0.0.1:{port}", "--token-file", wrongFile);
        var accepted = h.Cli("status", "--connect", $"tcp://127.0.0.1:{port}", "--token-file", tokenFile);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("'token' is missing or wrong", refused.Error);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Equal(0, h.Daq.Executed("start"));
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.DoesNotContain(token, h.LogText());
        Assert.DoesNotContain("not-the-token", h.LogText());
        Assert.DoesNotContain(token, refused.Error + wrong.Error + accepted.Out);
    }

    [Fact]
    public async Task WhenANodeWouldListenBeyondLoopbackWithoutATokenThenItDoesNotStart()
    {
        await using var h = NodeHarness.Start();

        var e = Assert.Throws<UsageException>(() => BeamDAQ.Control.RunControl.Node.ControlNode.Start(
            h.Options("tcp://0.0.0.0:*", token: null), SystemClock.Instance, Serilog.Core.Logger.None));

        Assert.Contains("reachable from other hosts", e.Message);
    }

    [Fact]
    public async Task WhenTheFrontEndIsKilledMidRunThenTheNodeEntersErrorAndTheResetAbortsTheRunWithItsRecoveredEvents()
    {
        await using var h = NodeHarness.Start();
        Assert.Equal(0, h.Cli("start", "--comment", "doomed").ExitCode);
        h.Daq.Record(12);

        h.Daq.Dispose();   // no heartbeats, no replies, the file as it was
        WaitUntil(() => h.Node.Controller.State.State.ToString() == "Error", "run control enters Error");

        var status = h.Cli("status");
        Assert.Contains("state      Error", status.Out);
        Assert.Contains("front end lost: no daq.status heartbeat", status.Out);
        Assert.Contains("critical daq-lost [run-control]", status.Out);
        using (var open = Catalog(h))
            Assert.Equal(RunState.Running, open.GetRun(1).State);   // the daq's fate is unknown: left open
        var reset = h.Cli("reset");
        Assert.Equal(0, reset.ExitCode);
        Assert.Contains("run 1 closed as aborted (12 events in its file)", reset.Out);
        using var catalog = Catalog(h);
        var run = catalog.GetRun(1);
        Assert.Equal(RunState.Aborted, run.State);
        Assert.Equal(12, run.Events);
        Assert.Contains(catalog.GetAlarms(1), a => a.Code == "daq-lost" && a.Severity == "critical");
    }

    [Fact]
    public async Task WhenTheControlNodeRestartsMidRunThenTheNewNodeAdoptsTheRunAndNumbersContinue()
    {
        await using var h = NodeHarness.Start();
        Assert.Equal(0, h.Cli("start", "--events", "1000").ExitCode);
        h.Daq.Record(7);

        await h.RestartNodeAsync();
        var status = h.Cli("status", "--json");
        h.Daq.Record(3);
        var stop = h.Cli("stop");
        var next = h.Cli("start");

        using var json = JsonDocument.Parse(status.Out);
        Assert.Equal("Running", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("run").GetInt64());
        Assert.Equal(1000, json.RootElement.GetProperty("events_limit").GetInt64());
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Contains("run 1 ended: 10 events", stop.Out);
        Assert.Contains("run 2 started", next.Out);
        Assert.Contains("adopted run 1", h.LogText());
    }

    [Fact]
    public async Task WhenTheAnalysisPublishesAFitThenItIsStoredWithTheSoftwareVersionAndAFitOfAnUnknownRunIsCountedNotStored()
    {
        await using var h = NodeHarness.Start();
        Assert.Equal(0, h.Cli("start").ExitCode);
        // The subscription joins asynchronously: probe with fits of a run that does not exist until one is counted.
        WaitUntil(() =>
        {
            h.Analysis.Publish(Topics.Fit, Fit(run: 999, lambda: 1).ToMap());
            return h.Node.Fits.Rejected > 0;
        }, "the node hears the analysis");

        h.Analysis.Publish(Topics.Fit, Fit(run: 1, lambda: 2.21).ToMap());
        WaitUntil(() => h.Node.Fits.Stored == 1, "the fit is stored");

        using var catalog = Catalog(h);
        var fit = Assert.Single(catalog.GetFits(1));
        Assert.Equal(2.21, fit.Lambda);
        Assert.Equal(0.05, fit.LambdaError);
        Assert.Equal("BeamDAQ analysis 9.9.9", fit.SoftwareVersion);
        Assert.Contains("run 999 is not in the catalog", h.Node.Fits.LastRejection);
    }

    [Fact]
    public async Task WhenTheFrontEndPublishesAnAlarmThenItIsStoredWithTheRun()
    {
        await using var h = NodeHarness.Start();
        Assert.Equal(0, h.Cli("start").ExitCode);
        var alarm = new AlarmMessage { TimeNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000, Source = "daq", Severity = AlarmSeverity.Warning, Code = "trigger-missing", Message = "no trigger for 2 s" };

        h.Daq.Publish(Topics.Alarm, alarm.ToMap());

        using var catalog = Catalog(h);
        WaitUntil(() => catalog.GetAlarms(1).Any(a => a.Code == "trigger-missing"), "the daq's alarm is stored");
        Assert.Equal("no trigger for 2 s", catalog.GetAlarms(1).Single(a => a.Code == "trigger-missing").Message);
    }

    [Fact]
    public async Task WhenARunIsStoppedThenTheDeadTimeAndTheDeviceLossGapsOfTheFrontEndsRunEndAreRecorded()
    {
        await using var h = NodeHarness.Start();
        Assert.Equal(0, h.Cli("start").ExitCode);
        h.Daq.Record(9);
        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        h.Daq.RunEndExtras = new Dictionary<string, object?>
        {
            ["dead_time_fraction"] = 0.0125,
            ["gaps"] = new List<object?>
            {
                new Dictionary<string, object?> { ["start_ns"] = start, ["end_ns"] = start + 2_500_000_000L, ["missed"] = 12L, ["cause"] = "removed" },
            },
        };

        var stop = h.Cli("stop");

        Assert.True(stop.ExitCode == 0, stop.ToString());
        using var catalog = Catalog(h);
        Assert.Equal(0.0125, catalog.GetRun(1).DeadTimeFraction);
        var loss = Assert.Single(catalog.GetDeviceLosses(1));
        Assert.Equal("digitizer", loss.Device);
        Assert.Equal(TimeSpan.FromSeconds(2.5), loss.Duration);
        Assert.Equal(12, loss.TriggersMissed);
    }

    [Fact]
    public async Task WhenTheFacilityIsPolledDuringARunThenReadingsArePublishedAndStoredWithTheRunAndASilentDeviceRaisesAnAlarmWhileTheRunGoesOn()
    {
        await using var h = NodeHarness.Start(facility: true);
        using var sc = new EventSubscriber(h.Context, h.Node.PublishEndpoint!, Topics.SlowControl, Topics.Alarm, "run.state");
        Assert.Equal(0, h.Cli("start").ExitCode);

        var topics = new HashSet<string>();
        WaitUntil(() =>
        {
            while (sc.TryReceive(TimeSpan.FromMilliseconds(50), out var message)) topics.Add(message.Topic);
            return topics.Contains(Topics.SlowControl);
        }, "sc readings on the control node's PUB");
        h.Sim!.Server(BeamDAQ.Control.Facility.FacilityDevice.HighVoltage).Unresponsive = true;
        WaitUntil(() =>
        {
            while (sc.TryReceive(TimeSpan.FromMilliseconds(50), out var message))
            {
                topics.Add(message.Topic);
                if (message.Topic == Topics.Alarm && AlarmMessage.FromMap(MapMessage.Decode(message.Payload.Span)) is { Code: "device-lost", Source: "hv" })
                    return true;
            }
            return false;
        }, "a device-lost alarm for the HV supply on the PUB");
        h.Daq.Record(3);

        Assert.Equal("Running", h.Node.Controller.State.State.ToString());
        var stop = h.Cli("stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        using var catalog = Catalog(h);
        var readings = catalog.GetSlowControl(1);
        Assert.Contains(readings, r => r.Device == "magnet" && r.Quantity == "current");   // from the poller, not only the start
        Assert.Contains(readings, r => r.Device == "collimators" && r.Quantity == "exit.aperture_x");
        Assert.Contains(catalog.GetAlarms(1), a => a.Code == "device-lost" && a.Source == "hv");
        Assert.Equal(3, catalog.GetRun(1).Events);
    }

    private static FitMessage Fit(uint run, double lambda) => new()
    {
        Run = run,
        TimeNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
        Lambda = lambda,
        LambdaError = 0.05,
        Converged = true,
        Model = "compound-poisson/landau",
        Software = "BeamDAQ analysis 9.9.9",
    };

    private static Dictionary<string, object?> Send(NodeHarness h, Dictionary<string, object?> request)
    {
        using var client = new RequestClient(h.Context, h.Node.Endpoint!, TimeSpan.FromSeconds(10), 0);
        Assert.True(client.TryRequest(request, out var reply), client.LastFailure);
        return reply!;
    }

    private static Dictionary<string, object?> FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
        {
            JsonValueKind.String => (object?)p.Value.GetString(),
            JsonValueKind.Number => p.Value.GetInt64(),
            _ => null,
        });
    }
}
