using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.RunControl;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Daq.Tests.RunControl;

/// <summary>
/// <c>beamdaq-daq serve</c>'s REP endpoint over a real ZeroMQ socket on 127.0.0.1, driven by the protocol's own REQ
/// client as the control node drives it (docs/run-control.md).
/// </summary>
public sealed class RunControlServerTests
{
    [Fact]
    public void WhenPingedThenTheReplyCarriesVersionOkStateAndNoRun()
    {
        using var serve = new ServeRig();
        var reply = serve.Send("ping");
        Assert.Equal(1L, reply["v"]);
        Assert.Equal(true, reply["ok"]);
        Assert.Equal("Idle", reply["state"]);
        Assert.Null(reply["run"]);
    }

    [Fact]
    public void WhenConfiguredStartedQueriedAndStoppedThenEachReplyCarriesItsKeysAndTheStateFollows()
    {
        using var serve = new ServeRig();
        var configured = serve.Send("configure", new() { ["config"] = new Dictionary<string, object?> { ["digitizer"] = new Dictionary<string, object?> { ["record_length"] = 800L } } });
        Assert.Equal(true, configured["ok"]);
        Assert.Equal("Configured", configured["state"]);
        Assert.Equal(800L, ((IReadOnlyDictionary<string, object?>)configured["applied"]!)["record_length"]);

        var started = serve.Send("start", new() { ["run"] = 5L, ["meta"] = new Dictionary<string, object?> { ["comment"] = "collimator scan" } });
        Assert.Equal(true, started["ok"]);
        Assert.Equal("Running", started["state"]);
        Assert.Equal(5L, started["run"]);
        string file = (string)started["file"]!;
        Assert.EndsWith("run_000005.bdq", file);

        Eventually.True(() => Convert.ToUInt64(serve.Send("status")["events"]) >= 3, "events are being recorded");
        var status = serve.Send("status");
        Assert.Equal("Running", status["state"]);
        Assert.Equal(5L, status["run"]);
        Assert.Equal("ok", status["device_state"]);
        Assert.Equal(file, status["file"]);
        Assert.Null(status["error"]);
        Assert.InRange((double)status["dead_time_fraction"]!, 0, 1);
        Assert.True((long)status["bytes_written"]! > 0);
        Assert.Equal(0L, status["missed"]);

        var stopped = serve.Send("stop", new() { ["reason"] = "end of scan point" });
        Assert.Equal(true, stopped["ok"]);
        Assert.Equal("Configured", stopped["state"]);
        Assert.Equal(5L, stopped["run"]);
        Assert.Equal(file, stopped["file"]);
        var run = RecordedRun.Read(file);
        Assert.Equal("end of scan point", run.End.Reason);
        Assert.Equal(Convert.ToUInt64(stopped["events"]), run.End.Events);
        Assert.Equal("collimator scan", run.Begin.Meta["comment"]);
        Assert.Equal(800L, run.Begin.Applied["record_length"]);
    }

    [Fact]
    public void WhenStartAndStopAreRepeatedThenNothingChanges()
    {
        using var serve = new ServeRig();
        serve.Send("configure");
        var first = serve.Send("start", new() { ["run"] = 6L });
        var again = serve.Send("start", new() { ["run"] = 6L });
        Assert.Equal(true, again["ok"]);
        Assert.Equal("Running", again["state"]);
        Assert.Equal(first["file"], again["file"]);

        var other = serve.Send("start", new() { ["run"] = 7L });
        Assert.Equal(false, other["ok"]);
        Assert.Contains("run 6 is in progress", (string)other["error"]!);

        var stopped = serve.Send("stop");
        var stoppedAgain = serve.Send("stop");
        Assert.Equal(true, stoppedAgain["ok"]);
        Assert.Equal("Configured", stoppedAgain["state"]);
        Assert.Equal(stopped["events"], stoppedAgain["events"]);
        Assert.Equal(6L, stoppedAgain["run"]);
        Assert.Single(Directory.GetFiles(serve.Rig.Directory.Path, "run_*.bdq"));
        Assert.Equal(RunEndReasons.Operator, RecordedRun.Read((string)first["file"]!).End.Reason);
    }

    [Fact]
    public void WhenARequestIsRetriedWithTheSameIdThenItIsAnsweredAgainButNotExecutedTwice()
    {
        using var serve = new ServeRig();
        serve.Send("configure");
        var start = serve.Send("start", new() { ["run"] = 8L }, id: "start-8");
        serve.Send("stop", id: "stop-8");
        var retried = serve.Send("start", new() { ["run"] = 8L }, id: "start-8"); // the reply to the first one got lost, say

        Assert.Equal(start, retried);               // the very reply given before …
        Assert.Equal("Configured", serve.Send("status")["state"]); // … and no second start
        Assert.Single(Directory.GetFiles(serve.Rig.Directory.Path, "run_*.bdq"));
        Assert.Equal(1, serve.Server.Handler.Repeats);

        var reused = serve.Send("stop", id: "start-8");
        Assert.Equal(false, reused["ok"]);
        Assert.Contains("already used for 'start'", (string)reused["error"]!);
    }

    [Fact]
    public void WhenARunEndsOnItsOwnThenTheFrontEndIsConfiguredAgain()
    {
        using var serve = new ServeRig();
        serve.Send("configure");
        var started = serve.Send("start", new() { ["run"] = 9L, ["events"] = 20L });
        Eventually.True(() => (string)serve.Send("status")["state"]! == "Configured", "the run ends at its event limit");
        var run = RecordedRun.Read((string)started["file"]!);
        Assert.Equal(RunEndReasons.EventLimit, run.End.Reason);
        Assert.Equal(20ul, run.End.Events);
    }

    [Fact]
    public void WhenTheDeviceDoesNotComeBackThenTheStateIsErrorUntilReset()
    {
        using var serve = new ServeRig(options: c => AcquisitionOptions.From(c) with { MaxOutage = TimeSpan.FromMilliseconds(300) });
        serve.Send("configure", new() { ["config"] = new Dictionary<string, object?> { ["simulator"] = new Dictionary<string, object?> { ["faults"] = "remove@3:10min" } } });
        serve.Send("start", new() { ["run"] = 10L });
        Eventually.True(() => (string)serve.Send("status")["state"]! == "Error", "the run ends in Error");

        var status = serve.Send("status");
        Assert.Contains(RunEndReasons.DeviceLost, (string)status["error"]!);
        var refused = serve.Send("start", new() { ["run"] = 11L });
        Assert.Equal(false, refused["ok"]);
        Assert.Contains("reset", (string)refused["error"]!);

        var reset = serve.Send("reset");
        Assert.Equal(true, reset["ok"]);
        Assert.Equal("Idle", reset["state"]);
        Assert.Null(serve.Send("status")["error"]);
        Assert.Equal("Configured", serve.Send("configure")["state"]);
    }

    [Theory]
    [InlineData("launch", null, null, "'cmd' = \"launch\"", "allowed: ping, status, configure, start, stop, reset")]
    [InlineData("start", "run", "abc", "'run' = \"abc\"", "an integer 1–4294967295")]
    [InlineData("start", "run", 0L, "'run' = 0", "an integer 1–4294967295")]
    [InlineData("start", "events", -3L, "'events' = -3", "an integer ≥ 1")]
    [InlineData("stop", "reason", 5L, "'reason' = 5", "a string")]
    [InlineData("configure", "config", "fast", "'config' = \"fast\"", "a map of configuration overrides")]
    public void WhenARequestIsMalformedThenTheReplyIsOkFalseNamingTheKeyAndWhatIsAllowed(string command, string? key, object? value, string named, string allowed)
    {
        using var serve = new ServeRig();
        serve.Send("configure");
        var keys = new Dictionary<string, object?>();
        if (command == "start" && key != "run") keys["run"] = 1L;
        if (key is not null) keys[key] = value;
        var reply = serve.Send(command, keys);
        Assert.Equal(false, reply["ok"]);
        Assert.Contains(named, (string)reply["error"]!);
        Assert.Contains(allowed, (string)reply["error"]!);
        Assert.Equal("Configured", reply["state"]);
    }

    [Fact]
    public void WhenTheConfigurationOverrideIsInvalidOrFixedThenConfigureIsRefusedAndNothingChanges()
    {
        using var serve = new ServeRig();
        var unknown = serve.Send("configure", new() { ["config"] = new Dictionary<string, object?> { ["digitizer"] = new Dictionary<string, object?> { ["record_lenght"] = 10L } } });
        Assert.Equal(false, unknown["ok"]);
        Assert.Contains("unknown key 'digitizer.record_lenght'", (string)unknown["error"]!);
        Assert.Equal("Idle", unknown["state"]);

        var outOfRange = serve.Send("configure", new() { ["config"] = new Dictionary<string, object?> { ["digitizer"] = new Dictionary<string, object?> { ["record_length"] = 500_000L } } });
        Assert.Contains("1 to 131072 samples", (string)outOfRange["error"]!);

        var socket = serve.Send("configure", new() { ["config"] = new Dictionary<string, object?> { ["publish"] = new Dictionary<string, object?> { ["address"] = "tcp://127.0.0.1:6000" } } });
        Assert.Equal(false, socket["ok"]);
        Assert.Contains("cannot change 'publish'", (string)socket["error"]!);
    }

    [Fact]
    public void WhenARequestLacksAnIdOrStartPrecedesConfigureThenItIsRefused()
    {
        using var serve = new ServeRig();
        var noId = serve.SendRaw(new() { ["v"] = 1L, ["cmd"] = "ping" });
        Assert.Equal(false, noId["ok"]);
        Assert.Contains("'id'", (string)noId["error"]!);
        var early = serve.Send("start", new() { ["run"] = 1L });
        Assert.Equal(false, early["ok"]);
        Assert.Contains("configure first", (string)early["error"]!);
        var wrongVersion = serve.SendRaw(new() { ["v"] = 2L, ["cmd"] = "ping", ["id"] = "x" });
        Assert.Contains("speaks v=1", (string)wrongVersion["error"]!);
    }

    [Fact]
    public void WhenARequestIsNotAMessagePackMapThenTheReplyIsOkFalseAndTheServerGoesOn()
    {
        using var serve = new ServeRig();
        Assert.True(serve.Client.TryRequest("not messagepack"u8, out var bytes));
        var reply = Protocol.MessagePack.MessagePackValue.ReadMap(bytes);
        Assert.Equal(false, reply["ok"]);
        Assert.Contains("malformed request", (string)reply["error"]!);
        Assert.Equal(true, serve.Send("ping")["ok"]);
    }

    [Fact]
    public void WhenATokenIsConfiguredThenRequestsWithoutItAreRefusedAndItIsNeverLogged()
    {
        const string secret = "s3cret-7f1c9e";
        using var serve = new ServeRig(token: secret);
        var without = serve.Send("ping");
        Assert.Equal(false, without["ok"]);
        Assert.Contains("token", (string)without["error"]!);
        var wrong = serve.Send("ping", new() { ["token"] = "guess" });
        Assert.Equal(false, wrong["ok"]);
        var right = serve.Send("configure", new() { ["token"] = secret });
        Assert.Equal(true, right["ok"]);
        Assert.Equal(2, serve.Server.Handler.Unauthorised);
        Assert.DoesNotContain(serve.Rig.Log.Messages, m => m.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, (string)without["error"]!);
    }

    [Theory]
    [InlineData("tcp://0.0.0.0:5556", false)]
    [InlineData("tcp://*:5556", false)]
    [InlineData("tcp://192.168.1.20:5556", false)]
    [InlineData("tcp://127.0.0.1:5556", true)]
    [InlineData("tcp://localhost:5556", true)]
    [InlineData("tcp://[::1]:5556", true)]
    [InlineData("ipc:///tmp/daq", true)]
    public void WhenTheAddressIsReachableFromOtherMachinesThenItIsNotLoopback(string address, bool loopback)
    {
        Assert.Equal(loopback, EndpointSecurity.IsLoopback(address));
    }

    [Fact]
    public void WhenBoundBeyondLoopbackWithoutATokenThenTheServerRefusesToStart()
    {
        using var rig = new FrontEndRig();
        var service = new RunControlService(rig.FrontEnd, _ => rig.Config, rig.Logger);
        var e = Assert.Throws<ArgumentException>(() => new RunControlServer(rig.Zmq, "tcp://0.0.0.0:*", service, token: null, rig.Logger));
        Assert.Contains("needs a token", e.Message);
    }

    /// <summary>The front end under run control on a free port, with a REQ client; the simulator paced at 50 Hz in real time.</summary>
    private sealed class ServeRig : IDisposable
    {
        private const string Paced = "simulator:\n  pacing: realtime\n  bunch_rate_hz: 50\n";
        private readonly ZmqContext _clientContext = new();
        private int _ids;

        public ServeRig(string? token = null, Func<DaqConfiguration, AcquisitionOptions>? options = null)
        {
            Rig = new FrontEndRig(Paced, providerFactory: c => SimulatedHs4Provider.Create(c.Simulator), options: options);
            var service = new RunControlService(Rig.FrontEnd, Reload, Rig.Logger);
            Server = new RunControlServer(Rig.Zmq, "tcp://127.0.0.1:*", service, token, Rig.Logger);
            Client = new RequestClient(_clientContext, Server.Endpoint, TimeSpan.FromSeconds(10), retries: 0);
        }

        public FrontEndRig Rig { get; }
        public RunControlServer Server { get; }
        public RequestClient Client { get; }

        /// <summary>What serve's configure does: the base configuration with the request's overrides on top.</summary>
        private DaqConfiguration Reload(IReadOnlyDictionary<string, object?>? overrides)
        {
            if (overrides is null) return Rig.Config;
            string yaml = string.Format(System.Globalization.CultureInfo.InvariantCulture, FrontEndRig.BaseYaml, Rig.Directory.Path) + "\n";
            var merged = new Dictionary<string, object?> { ["simulator.pacing"] = "realtime", ["simulator.bunch_rate_hz"] = 50.0 };
            foreach (var (k, v) in overrides) merged[k] = v;
            return DaqConfigurationLoader.Parse(yaml, "rig.yaml", merged, "run control");
        }

        public Dictionary<string, object?> Send(string command, Dictionary<string, object?>? keys = null, string? id = null)
        {
            var request = new Dictionary<string, object?> { ["v"] = (long)SchemaVersion.Current, ["cmd"] = command, ["id"] = id ?? $"req-{++_ids}" };
            if (keys is not null) foreach (var (k, v) in keys) request[k] = v;
            return SendRaw(request);
        }

        public Dictionary<string, object?> SendRaw(Dictionary<string, object?> request)
        {
            Assert.True(Client.TryRequest(request, out var reply), Client.LastFailure);
            return reply!;
        }

        public void Dispose()
        {
            Client.Dispose();
            _clientContext.Dispose();
            Server.Dispose();
            Rig.Dispose();
        }
    }
}
