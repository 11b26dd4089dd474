using BeamDAQ.Control.Commands;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.RunControl.Configuration;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Control.Tests.RunControl;

public class ControlConfigTests
{
    private static string Shipped() => Repository.PathTo("configs", "control.yaml");

    [Fact]
    public void WhenTheShippedFileIsReadThenItEqualsTheBuiltInDefaults()
    {
        var shipped = ControlConfigLoader.Load(Shipped());

        Assert.Equal(new ControlConfig() with { Source = shipped.Source }, shipped);
    }

    [Fact]
    public void WhenTheFileIsEmptyThenEverythingTakesItsDefault()
    {
        Assert.Equal(new ControlConfig { Source = "empty.yaml" }, ControlConfigLoader.Parse("", "empty.yaml"));
    }

    [Fact]
    public void WhenValuesAreGivenThenTheyOverrideTheDefaultsAndTheDaqOverridesKeepTheirTypes()
    {
        var config = ControlConfigLoader.Parse("""
            listen: { address: "tcp://127.0.0.1:6000" }
            daq:
              heartbeat_timeout_s: 2.5
              retries: 0
              config: { simulator: { pacing: max, seed: 7, beam: { lambda: 0.7 } }, output: { directory: 'runs/scan' } }
            analysis: { publish_address: null }
            facility: { base_port: 6025 }
            slow_control: { idle_store_interval_s: null }
            """, "c.yaml");

        Assert.Equal("tcp://127.0.0.1:6000", config.ListenAddress);
        Assert.Equal(2.5, config.HeartbeatTimeoutS);
        Assert.Equal(0, config.DaqRetries);
        Assert.Null(config.AnalysisPublishAddress);
        Assert.Equal(6025, config.FacilityBasePort);
        Assert.Null(config.IdleStoreIntervalS);
        var simulator = (IReadOnlyDictionary<string, object?>)config.DaqConfigOverrides!["simulator"]!;
        Assert.Equal("max", simulator["pacing"]);
        Assert.Equal(7L, simulator["seed"]);
        Assert.Equal(0.7, ((IReadOnlyDictionary<string, object?>)simulator["beam"]!)["lambda"]);
    }

    [Theory]
    [InlineData("daq:\n  heartbeat_timout_s: 5\n", "c.yaml:2: unknown key 'daq.heartbeat_timout_s'; allowed in 'daq': control_address,")]
    [InlineData("lisen:\n  address: tcp://127.0.0.1:1\n", "c.yaml:1: unknown key 'lisen'; allowed at the top level: listen, publish,")]
    [InlineData("daq:\n  heartbeat_timeout_s: soon\n", "c.yaml:2: daq.heartbeat_timeout_s = 'soon': expected a number from 0.1 to 3600 s")]
    [InlineData("daq:\n  heartbeat_timeout_s: '5'\n", "c.yaml:2: daq.heartbeat_timeout_s = '5': expected a number from 0.1 to 3600 s")]
    [InlineData("daq:\n  retries: 2.5\n", "c.yaml:2: daq.retries = '2.5': expected an integer from 0 to 10")]
    [InlineData("daq:\n  simulated_beam_from_facility: yes please\n", "c.yaml:2: daq.simulated_beam_from_facility = 'yes please': expected true or false")]
    [InlineData("listen:\n  address: 5559\n", "c.yaml:2: listen.address = '5559': expected tcp://HOST:PORT (or ipc://PATH)")]
    [InlineData("listen:\n  address: tcp://127.0.0.1\n", "c.yaml:2: listen.address = 'tcp://127.0.0.1': expected tcp://HOST:PORT with both a host and a port")]
    [InlineData("listen: 5559\n", "c.yaml:1: listen = '5559': expected a mapping of keys")]
    [InlineData("run:\n  progress_interval_s: 0\n", "c.yaml:2: run.progress_interval_s = '0': expected a number from 0.1 to 3600 s")]
    [InlineData("publish:\n  address: null\n", "c.yaml:2: publish.address = null: expected an endpoint such as tcp://127.0.0.1:5559 (null not allowed)")]
    [InlineData("daq:\n  config: [1, 2]\n", "c.yaml:2: daq.config = (a list): expected a mapping of daq configuration keys")]
    public void WhenAKeyIsUnknownOrAValueIsWrongThenLoadingFailsAsBadUsageNamingFileLineKeyValueAndWhatIsAllowed(string yaml, string message)
    {
        var e = Assert.Throws<ControlConfigException>(() => ControlConfigLoader.Parse(yaml, "c.yaml"));

        Assert.IsAssignableFrom<UsageException>(e);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void WhenSeveralThingsAreWrongThenAllAreReportedAtOnce()
    {
        var e = Assert.Throws<ControlConfigException>(() => ControlConfigLoader.Parse("daq:\n  retries: -1\n  nonsense: 1\nrun:\n  detector: '  '\n", "c.yaml"));

        Assert.Equal(3, e.Problems.Count);
    }

    [Fact]
    public void WhenTheFileIsNotYamlThenTheErrorNamesLineAndColumn()
    {
        var e = Assert.Throws<ControlConfigException>(() => ControlConfigLoader.Parse("listen: {address: [\n", "c.yaml"));

        Assert.Contains("c.yaml: invalid control configuration", e.Message);
        Assert.Contains("line ", e.Message);
    }

    [Fact]
    public void WhenTheListenAddressLeavesLoopbackWithoutATokenThenServeRefusesToStart()
    {
        var e = Assert.Throws<UsageException>(() => ServeCommand.Resolve(new ControlConfig { FacilityEnabled = false },
            new ServeCommand.ServeOverrides(Listen: "tcp://0.0.0.0:5559")));

        Assert.Contains("--listen tcp://0.0.0.0:5559 is reachable from other hosts: a token is required", e.Message);
    }

    [Fact]
    public void WhenTheCommandLineGivesAddressesThenTheyOverrideTheFile()
    {
        var options = ServeCommand.Resolve(new ControlConfig { DaqControlAddress = "tcp://127.0.0.1:7000" },
            new ServeCommand.ServeOverrides(Catalog: "/tmp/c.sqlite", DaqControl: "tcp://127.0.0.1:7100", Facility: "127.0.0.1:6025"));

        Assert.Equal("tcp://127.0.0.1:7100", options.Daq.Endpoint);
        Assert.Equal("/tmp/c.sqlite", options.Catalog);
        Assert.Equal(6025, options.Facility![FacilityDevice.Magnet].Port);
        Assert.Equal(6029, options.Facility[FacilityDevice.Beam].Port);
        Assert.Equal(21.0, options.RunControl.MaxApertureMm);
    }

    [Theory]
    [InlineData("no-port", "--facility no-port: expected HOST:BASEPORT")]
    [InlineData("host:70000", "--facility host:70000: expected HOST:BASEPORT")]
    public void WhenTheFacilityOptionIsMalformedThenItIsBadUsage(string facility, string message)
    {
        var e = Assert.Throws<UsageException>(() => ServeCommand.Resolve(new ControlConfig(), new ServeCommand.ServeOverrides(Facility: facility)));

        Assert.StartsWith(message, e.Message);
    }
}
