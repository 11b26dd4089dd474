namespace BeamDAQ.Reliability.Tests.BadInput.Configurations;

/// <summary>
/// Malformed configurations of every kind — unknown and misspelt keys, wrong types, values beyond the hardware's or
/// the facility's limits, broken YAML, bad endpoints — for configs/daq.yaml, configs/facility.yaml and
/// configs/control.yaml. docs/reliability-configs.md is generated from this table and the messages it produces.
/// </summary>
public static class ConfigCases
{
    public static IReadOnlyList<ConfigCase> All { get; } =
    [
        // ---- configs/daq.yaml (DaqConfigurationLoader; beamdaq-daq run/serve) ----------------------------------
        Daq("a misspelt section", "digitiser:\n  resolution_bits: 12\n", "digitiser", "did you mean 'digitizer'"),
        Daq("an unknown key in a section", "digitizer:\n  sample_rate: 50e6\n", "digitizer.sample_rate", "sample_rate_hz"),
        Daq("a resolution the HS4 does not have", "digitizer:\n  resolution_bits: 10\n", "digitizer.resolution_bits", "12, 14"),
        Daq("a sample rate above the 12-bit maximum", "digitizer:\n  sample_rate_hz: 100e6\n", "digitizer.sample_rate_hz", "50"),
        Daq("a sample rate above the 14-bit maximum", "digitizer:\n  resolution_bits: 14\n  sample_rate_hz: 50e6\n", "digitizer.sample_rate_hz", "3.125"),
        Daq("a sample rate as text", "digitizer:\n  sample_rate_hz: fast\n", "digitizer.sample_rate_hz", "expected a number"),
        Daq("a negative sample rate", "digitizer:\n  sample_rate_hz: -1\n", "digitizer.sample_rate_hz", "> 0"),
        Daq("a record longer than the memory", "digitizer:\n  record_length: 200000\n", "digitizer.record_length", "131072"),
        Daq("a record length as a fraction", "digitizer:\n  record_length: 2500.5\n", "digitizer.record_length", "an integer"),
        Daq("a pre-sample ratio above 1", "digitizer:\n  pre_sample_ratio: 1.5\n", "digitizer.pre_sample_ratio", "0 to 1"),
        Daq("a channel 5", "digitizer:\n  channels:\n    - { id: 5 }\n", "digitizer.channels[0].id", "1 to 4"),
        Daq("a channel listed twice", "digitizer:\n  channels:\n    - { id: 1 }\n    - { id: 1 }\n", "digitizer.channels[1].id", "once"),
        Daq("a range the HS4 does not have", "digitizer:\n  channels:\n    - { id: 1, range_v: 100 }\n", "digitizer.channels[0].range_v", "80"),
        Daq("an unknown coupling", "digitizer:\n  channels:\n    - { id: 1, coupling: dc50 }\n", "digitizer.channels[0].coupling", "dc"),
        Daq("no channel enabled", "digitizer:\n  channels:\n    - { id: 1, enabled: false }\n", "digitizer.channels", "at least one enabled channel"),
        Daq("a trigger input other than EXT1", "digitizer:\n  trigger: { input: CH1 }\n", "digitizer.trigger.input", "EXT1"),
        Daq("an unknown trigger edge", "digitizer:\n  trigger: { edge: both }\n", "digitizer.trigger.edge", "rising"),
        Daq("a zero trigger time-out", "digitizer:\n  trigger: { timeout_s: 0 }\n", "digitizer.trigger.timeout_s", "> 0 s"),
        Daq("an unknown driver", "digitizer:\n  driver: picoscope\n", "digitizer.driver", "simulator"),
        Daq("a negative beam intensity", "simulator:\n  beam: { lambda: -1 }\n", "simulator.beam.lambda", "0 to 10000"),
        Daq("a beam energy beyond the facility", "simulator:\n  beam: { energy_mev: 50 }\n", "simulator.beam.energy_mev", "0.1 to 5 MeV"),
        Daq("a malformed fault plan", "simulator:\n  faults: \"remove@ten\"\n", "simulator.faults", "remove@K:T"),
        Daq("a shaper of 20 stages", "simulator:\n  pulse: { order: 20 }\n", "simulator.pulse.order", "1 to 10"),
        Daq("a signal channel that is not enabled", "simulator:\n  detector: { signal_channel: 3 }\n", "simulator.detector.signal_channel", "an enabled digitizer channel"),
        Daq("a publish address without a port", "publish:\n  address: tcp://127.0.0.1\n", "publish.address", "tcp://HOST:PORT"),
        Daq("a publish address with another scheme", "publish:\n  address: http://127.0.0.1:5555\n", "publish.address", "tcp://HOST:PORT"),
        Daq("a port out of range", "run_control:\n  address: tcp://127.0.0.1:70000\n", "run_control.address", "1–65535"),
        Daq("run control on the publish address", "publish:\n  address: tcp://127.0.0.1:5555\nrun_control:\n  address: tcp://127.0.0.1:5555\n", "run_control.address", "other than publish.address"),
        Daq("a queue of zero messages", "publish:\n  queue_length: 0\n", "publish.queue_length", "1 to 100000"),
        Daq("an unknown drop policy", "publish:\n  drop_policy: block\n", "publish.drop_policy", "drop-oldest"),
        Daq("a watchdog of zero", "watchdog_s: 0\n", "watchdog_s", "0.001 to 3600"),
        Daq("a section given as a list", "output:\n  - runs\n", "output", "expected"),
        Daq("a key given twice", "watchdog_s: 2\nwatchdog_s: 3\n", "watchdog_s", "Duplicate key"),

        // ---- configs/facility.yaml (FacilityConfigLoader; beamdaq-control facility-sim and serve) -------------
        Facility("an unknown top-level key", "magnets:\n  max_current_a: 50\n", "magnets", "allowed at the top level: host, base_port, magnet"),
        Facility("an unknown key in a section", "magnet:\n  max_current: 50\n", "magnet.max_current", "allowed in 'magnet': max_current_a"),
        Facility("a base port beyond 65530", "base_port: 65535\n", "base_port", "[0, 65530]"),
        Facility("a port as text", "base_port: five\n", "base_port = 'five'", "expected an integer"),
        Facility("a switch that is not a boolean", "hv:\n  initial_output_on: maybe\n", "hv.initial_output_on", "true or false"),
        Facility("a section given as a number", "magnet: 5\n", "magnet", "a mapping of keys (max_current_a"),
        Facility("an empty host", "host: \"\"\n", "host", "a host name or IP address"),
        Facility("a magnet current of zero", "magnet:\n  max_current_a: 0\n", "magnet.max_current_a", "(0, 1000]"),
        Facility("a default current above the supply's maximum", "magnet:\n  default_current_a: 60\n", "magnet.default_current_a", "[0, 50]"),
        Facility("a negative ramp rate", "magnet:\n  ramp_rate_a_per_s: -2\n", "magnet.ramp_rate_a_per_s", "(0, 1000]"),
        Facility("a collimator opening beyond the jaws' travel", "collimators:\n  max_aperture_mm: 100\n", "collimators.jaw_travel_mm", "at least max_aperture_mm / 2"),
        Facility("an initial aperture with one number", "collimators:\n  initial_exit_mm: [9.9]\n", "collimators.initial_exit_mm", "[x, y] in mm"),
        Facility("an HV above 1000 V", "hv:\n  initial_voltage_v: 5000\n", "hv.initial_voltage_v", "[-1000, 1000] V"),
        Facility("a trip current above its maximum", "hv:\n  trip_current_a: 1.0\n", "hv.trip_current_a", "(0, 1E-05] A"),
        Facility("a thermistor channel without a name", "temperatures:\n  channels:\n    - { base_c: 22 }\n", "temperatures.channels[0].name", "letters, digits and '_'"),
        Facility("an unknown temperature conversion", "slow_control:\n  temperature_conversion: pt100\n", "slow_control.temperature_conversion", "steinhart_hart"),
        Facility("a zero poll interval", "slow_control:\n  poll_interval_s: 0\n", "slow_control.poll_interval_s", "[0.01, 3600] s"),
        Facility("an alarm band upside down", "alarms:\n  temperature_low_c: 40\n  temperature_high_c: 10\n", "alarms.temperature_high_c", "above temperature_low_c"),
        Facility("a band for a channel that does not exist", "alarms:\n  temperature_bands:\n    cryostat: [1, 2]\n", "alarms.temperature_bands.cryostat", "a channel in temperatures.channels"),
        Facility("a negative bunch rate", "beam:\n  bunch_rate_hz: -5\n", "beam.bunch_rate_hz", "(0, 1E+06] Hz"),
        Facility("a key given twice", "base_port: 5025\nbase_port: 6000\n", "base_port", "twice"),
        Facility("broken YAML", "magnet: [unclosed\n", "line 2", "not valid YAML"),

        // ---- configs/control.yaml (ControlConfigLoader; beamdaq-control serve) --------------------------------
        Control("an unknown top-level key", "listen_address: tcp://127.0.0.1:5559\n", "listen_address", "allowed at the top level"),
        Control("an unknown key in a section", "daq:\n  control: tcp://127.0.0.1:5556\n", "daq.control", "control_address"),
        Control("a listen address without a port", "listen:\n  address: tcp://127.0.0.1\n", "listen.address", "tcp://HOST:PORT"),
        Control("a listen address of another scheme", "listen:\n  address: udp://127.0.0.1:5559\n", "listen.address", "tcp://HOST:PORT"),
        Control("a null listen address", "listen:\n  address: null\n", "listen.address", "null not allowed"),
        Control("a daq port out of range", "daq:\n  control_address: tcp://127.0.0.1:0\n", "daq.control_address", "1–65535"),
        Control("a command time-out of zero", "daq:\n  command_timeout_s: 0\n", "daq.command_timeout_s", "0.01 to 3600"),
        Control("a time-out as text", "daq:\n  query_timeout_s: soon\n", "daq.query_timeout_s", "a number from"),
        Control("too many retries", "daq:\n  retries: 50\n", "daq.retries", "from 0 to 10"),
        Control("retries as a fraction", "daq:\n  retries: 1.5\n", "daq.retries", "an integer"),
        Control("a flag that is not a boolean", "facility:\n  enabled: maybe\n", "facility.enabled", "true or false"),
        Control("a facility base port beyond 65530", "facility:\n  base_port: 65535\n", "facility.base_port", "1 to 65530"),
        Control("a section given as text", "run: fast\n", "run", "a mapping of keys"),
        Control("daq overrides given as a list", "daq:\n  config: [lambda]\n", "daq.config", "a mapping of daq configuration keys"),
        Control("a supervision interval of a minute", "supervision_interval_s: 60\n", "supervision_interval_s", "0.01 to 10"),
        Control("a blank operator", "run:\n  operator: \"  \"\n", "run.operator", "non-blank"),
        Control("broken YAML", "listen: {address: tcp://127.0.0.1:5559\n", "line", "not valid YAML"),
    ];

    private static ConfigCase Daq(string what, string yaml, string key, string allowed) => new(ConfigFile.Daq, what, yaml, key, allowed);
    private static ConfigCase Facility(string what, string yaml, string key, string allowed) => new(ConfigFile.Facility, what, yaml, key, allowed);
    private static ConfigCase Control(string what, string yaml, string key, string allowed) => new(ConfigFile.Control, what, yaml, key, allowed);
}
