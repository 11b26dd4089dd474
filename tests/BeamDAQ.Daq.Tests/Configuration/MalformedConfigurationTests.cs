using BeamDAQ.Daq.Configuration;

namespace BeamDAQ.Daq.Tests.Configuration;

/// <summary>
/// Each malformed configuration must stop with the file and line, the key path, the offending value and
/// what is allowed (the HS4's limit where there is one).
/// </summary>
public sealed class MalformedConfigurationTests
{
    public static TheoryData<string, string, int, string[]> Cases => new()
    {
        // yaml, key path, line, substrings the message must contain
        { "digitizer:\n  chanels: []\n", "digitizer.chanels", 2, ["unknown key 'digitizer.chanels'", "did you mean 'digitizer.channels'"] },
        { "watchdog: 2\n", "watchdog", 1, ["unknown key 'watchdog'", "did you mean 'watchdog_s'", "allowed at the top level"] },
        { "digitizer:\n  record_length: abc\n", "digitizer.record_length", 2, ["= abc", "expected an integer"] },
        { "digitizer:\n  record_length: \"1000\"\n", "digitizer.record_length", 2, ["'1000' is a quoted string", "expected an integer"] },
        { "digitizer:\n  record_length: 2.5\n", "digitizer.record_length", 2, ["= 2.5 is a number", "expected an integer"] },
        { "digitizer:\n  resolution_bits: 14\n  sample_rate_hz: 50e6\n", "digitizer.sample_rate_hz", 3, ["= 50000000", "at most 3.125 MSa/s at 14 bit", "HS4 limit"] },
        { "digitizer:\n  record_length: 200000\n", "digitizer.record_length", 2, ["= 200000", "1 to 131072 samples", "128 kSamples"] },
        { "digitizer:\n  pre_sample_ratio: -0.1\n", "digitizer.pre_sample_ratio", 2, ["= -0.1", "0 to 1"] },
        { "digitizer:\n  channels:\n    - id: 1\n      range_v: 100\n", "digitizer.channels[0].range_v", 4, ["= 100", "±0.2, 0.4, 0.8, 2, 4, 8, 20, 40 or 80 V"] },
        { "digitizer:\n  resolution_bits: 10\n", "digitizer.resolution_bits", 2, ["= 10", "12, 14 or 16 bit"] },
        { "digitizer:\n  channels:\n    - id: 5\n", "digitizer.channels[0].id", 3, ["= 5", "1 to 4"] },
        { "digitizer:\n  channels:\n    - id: 1\n    - id: 1\n", "digitizer.channels[1].id", 4, ["= 1", "each channel listed once"] },
        { "digitizer:\n  channels:\n    - range_v: 2\n", "digitizer.channels[0].id", 3, ["'digitizer.channels[0].id' is missing", "an integer"] },
        { "digitizer:\n  channels: 5\n", "digitizer.channels", 2, ["is an integer; expected a list"] },
        { "digitizer:\n  trigger:\n    input: EXT2\n", "digitizer.trigger.input", 3, ["= EXT2", "EXT1", "extension connector"] },
        { "digitizer:\n  trigger:\n    edge: up\n", "digitizer.trigger.edge", 3, ["= up", "one of: rising, falling"] },
        { "digitizer:\n  trigger:\n    timeout_s: 0\n", "digitizer.trigger.timeout_s", 3, ["= 0", "null for infinite"] },
        { "digitizer:\n  trigger:\n    holdoff_s: 1\n", "digitizer.trigger.holdoff_s", 3, ["= 1", "1048576 samples (1 MSamples)"] },
        { "digitizer:\n  driver: usb\n", "digitizer.driver", 2, ["= usb", "one of: simulator, hs4"] },
        { "simulator:\n  beam:\n    lambda: -1\n", "simulator.beam.lambda", 3, ["= -1", "0 to 10000"] },
        { "simulator:\n  beam:\n    energy_mev: 10\n", "simulator.beam.energy_mev", 3, ["= 10", "0.1 to 5 MeV"] },
        { "simulator:\n  faults: remove@100\n", "simulator.faults", 2, ["'remove@100'", "needs a duration", "remove@K:T"] },
        { "simulator:\n  detector:\n    signal_channel: 2\n", "simulator.detector.signal_channel", 3, ["= 2", "an enabled digitizer channel (enabled: 1)"] },
        { "simulator:\n  detector:\n    response: template\n", "simulator.detector.template_file", 3, ["template_file = null", "one per line"] },
        { "simulator:\n  detector:\n    response: template\n    template_file: no-such.csv\n", "simulator.detector.template_file", 4, ["no-such.csv", "an existing file"] },
        { "simulator:\n  pulse:\n    order: 12\n", "simulator.pulse.order", 3, ["= 12", "1 to 10"] },
        { "simulator:\n  bunch_rate_hz: true\n", "simulator.bunch_rate_hz", 2, ["= true is a boolean", "expected a number"] },
        { "publish:\n  address: localhost:5555\n", "publish.address", 2, ["'localhost:5555'", "tcp://HOST:PORT"] },
        { "publish:\n  address: tcp://127.0.0.1:70000\n", "publish.address", 2, ["port 1–65535"] },
        { "run_control:\n  address: tcp://127.0.0.1:5555\n", "run_control.address", 2, ["other than publish.address"] },
        { "watchdog_s: 0\n", "watchdog_s", 1, ["watchdog_s = 0", "0.001 to 3600 s"] },
        { "heartbeat_s: null\n", "heartbeat_s", 1, ["is empty (null)", "expected a number"] },
        { "digitizer:\n  record_length: 100\n   sample_rate_hz: 1e6\n", "", 3, ["not valid YAML"] },
        { "- 1\n- 2\n", "", 1, ["'the document' is a list", "expected a mapping"] },
        { "digitizer:\n  record_length: 10\n  record_length: 20\n", "", 3, ["Duplicate key record_length"] },
        { "digitizer:\n  serial: 27710\n", "digitizer.serial", 2, ["= 27710", "the simulated HS4's serial 'SIM00001'"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void WhenTheConfigurationIsMalformedThenTheErrorNamesFileLineKeyValueAndLimit(string yaml, string keyPath, int line, string[] expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => DaqConfigurationLoader.Parse(yaml, "bad.yaml", baseDirectory: Path.GetTempPath()));

        var problem = e.Problems.FirstOrDefault(p => p.KeyPath == keyPath);
        Assert.True(problem is not null, $"no problem for '{keyPath}' in: {e.Message}");
        Assert.Equal(line, problem.Location?.Line);
        string text = problem.ToString();
        Assert.StartsWith($"bad.yaml:{line}: ", text);
        if (keyPath.Length > 0) Assert.Contains(keyPath, text);
        foreach (var part in expected) Assert.Contains(part, text);
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void ThereAreAtLeastFifteenMalformedCases() => Assert.True(Cases.Count >= 15);
}
