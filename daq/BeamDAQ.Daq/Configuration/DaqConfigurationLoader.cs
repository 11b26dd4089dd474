using System.Globalization;
using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Configuration.Schema;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Hs4;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Simulation.Faults;
using BeamDAQ.Daq.Digitizers.Simulation.Physics;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Daq.Configuration;

/// <summary>
/// Loads the daq configuration: YAML (YamlDotNet) → schema check (unknown keys, types) → records → limits
/// (the HS4's, the simulator's, the addresses'). All problems are collected and thrown together as a
/// <see cref="ConfigurationException"/>, each with file:line, the key, the value and what is allowed.
/// </summary>
public static class DaqConfigurationLoader
{
    /// <summary>Loads <paramref name="path"/> (null: built-in defaults) with optional overrides on top.</summary>
    /// <param name="overrides">Nested maps or dotted keys (<c>simulator.beam.lambda</c>) with values to use instead of the file's.</param>
    /// <param name="overrideSource">How messages name the overrides, e.g. "--lambda" or "run control".</param>
    public static DaqConfiguration Load(string? path, IReadOnlyDictionary<string, object?>? overrides = null, string overrideSource = "override")
    {
        if (path is null) return Parse("", "(defaults)", overrides, overrideSource, Directory.GetCurrentDirectory());
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException ? "not found" : e.Message;
            throw new ConfigurationException([new ConfigurationProblem(new SourceLocation(path), "", $"cannot read configuration file '{path}': {why}")]);
        }
        return Parse(text, path, overrides, overrideSource, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses YAML text. Relative <c>template_file</c> paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static DaqConfiguration Parse(string yaml, string source, IReadOnlyDictionary<string, object?>? overrides = null,
        string overrideSource = "override", string? baseDirectory = null)
    {
        var problems = new List<ConfigurationProblem>();
        var root = YamlDocumentReader.Read(new StringReader(yaml), source, problems);
        if (overrides is { Count: > 0 })
            root = ConfigurationOverrides.Merge(root, ConfigurationOverrides.ToNode(overrides, new SourceLocation(overrideSource)));
        var validator = new SchemaValidator(problems);
        var tree = validator.ValidateRoot(root, DaqConfigurationSchema.Root, new SourceLocation(source));
        var binder = new Binder(tree, validator.Locations, new SourceLocation(source), problems, baseDirectory ?? Directory.GetCurrentDirectory());
        var configuration = binder.Bind(overrides is { Count: > 0 } ? $"{source} + {overrideSource}" : source);
        if (problems.Count > 0) throw new ConfigurationException(problems);
        return configuration;
    }

    /// <summary>The built-in defaults (as documented in configs/daq.yaml).</summary>
    public static DaqConfiguration Defaults() => Parse("", "(defaults)");

    /// <summary>Reads the validated tree into records and checks every value against its limits.</summary>
    private sealed class Binder(
        Dictionary<string, object?> tree,
        IReadOnlyDictionary<string, SourceLocation> locations,
        SourceLocation file,
        List<ConfigurationProblem> problems,
        string baseDirectory)
    {
        public DaqConfiguration Bind(string source)
        {
            var digitizer = Map(tree, "digitizer");
            var simulator = Map(tree, "simulator");
            var driver = Text(digitizer, "driver") == "hs4" ? DigitizerDriver.Hs4 : DigitizerDriver.Simulator;
            var settings = BindDigitizer(digitizer);
            var sim = BindSimulator(simulator, settings, driver);
            if (driver == DigitizerDriver.Simulator && settings.SerialNumber is { } serial && serial != sim.SerialNumber)
                Problem("digitizer.serial", serial, $"null or the simulated HS4's serial '{sim.SerialNumber}' (simulator.serial) while digitizer.driver is simulator");

            string output = Text(Map(tree, "output"), "directory") ?? "runs";
            if (string.IsNullOrWhiteSpace(output)) Problem("output.directory", $"'{output}'", "a directory path");
            var publishSection = Map(tree, "publish");
            string publish = Address("publish.address", Text(publishSection, "address"));
            long queueLength = Integer(publishSection, "queue_length") ?? 64;
            if (queueLength is < 1 or > 100_000)
                Problem("publish.queue_length", queueLength.ToString(CultureInfo.InvariantCulture), "1 to 100000 messages waiting for the publisher thread");
            var runControl = Map(tree, "run_control");
            string control = Address("run_control.address", Text(runControl, "address"));
            if (publish == control && publish.Length > 0 && !publish.EndsWith(":*", StringComparison.Ordinal))
                Problem("run_control.address", control, "an address other than publish.address (one socket per address)");

            return new DaqConfiguration
            {
                Source = source,
                Driver = driver,
                Digitizer = settings,
                Simulator = sim,
                OutputDirectory = output,
                PublishAddress = publish,
                PublishQueueLength = (int)Math.Clamp(queueLength, 1, 100_000),
                PublishDropPolicy = Text(publishSection, "drop_policy") == "drop-newest" ? PublicationDropPolicy.DropNewest : PublicationDropPolicy.DropOldest,
                SlowSubscriber = Text(publishSection, "slow_subscriber") == "drop-for-all"
                    ? PublisherDropPolicy.DropForAllSubscribers
                    : PublisherDropPolicy.DropForFullSubscriberOnly,
                RunControlAddress = control,
                RunControlToken = Text(runControl, "token"),
                Watchdog = Seconds("watchdog_s", Number(tree, "watchdog_s"), 0.001, 3600, "0.001 to 3600 s (the wait for one trigger before it counts as missing)"),
                Heartbeat = Seconds("heartbeat_s", Number(tree, "heartbeat_s"), 0.01, 60, "0.01 to 60 s"),
            };
        }

        private DigitizerSettings BindDigitizer(Dictionary<string, object?> d)
        {
            var channels = new List<ChannelSettings>();
            if (d.GetValueOrDefault("channels") is List<object?> list)
                foreach (var item in list.OfType<Dictionary<string, object?>>())
                    channels.Add(new ChannelSettings(
                        (int)Math.Clamp(Integer(item, "id") ?? 0, int.MinValue, int.MaxValue),
                        Flag(item, "enabled") ?? true,
                        Number(item, "range_v") ?? 0.8,
                        Text(item, "coupling") == "ac" ? Coupling.AC : Coupling.DC));
            var trigger = Map(d, "trigger");
            double? timeout = Number(trigger, "timeout_s");
            double holdOff = Number(trigger, "holdoff_s") ?? 0;
            var settings = new DigitizerSettings(
                ResolutionBits: (int)Math.Clamp(Integer(d, "resolution_bits") ?? 12, int.MinValue, int.MaxValue),
                SampleRateHz: Number(d, "sample_rate_hz") ?? 50e6,
                RecordLength: (int)Math.Clamp(Integer(d, "record_length") ?? 2500, int.MinValue, int.MaxValue),
                PreSampleRatio: Number(d, "pre_sample_ratio") ?? 0.2,
                Channels: channels,
                TriggerInput: Text(trigger, "input") ?? Hs4Limits.ExternalTriggerInput,
                TriggerEdge: Text(trigger, "edge") == "falling" ? TriggerEdge.Falling : TriggerEdge.Rising,
                TriggerTimeout: timeout is { } t && double.IsFinite(t) && Math.Abs(t) < 1e6 ? TimeSpan.FromSeconds(t) : null,
                TriggerHoldOff: double.IsFinite(holdOff) && Math.Abs(holdOff) < 1e6 ? TimeSpan.FromSeconds(holdOff) : TimeSpan.Zero,
                SerialNumber: Text(d, "serial"));
            if (timeout is { } big && Math.Abs(big) >= 1e6) Problem("digitizer.trigger.timeout_s", Format(big), "a time-out > 0 s and below 1e6 s, or null for infinite");

            // The HS4's limits, quoted from the manual — only for values that passed the type check.
            foreach (var v in Hs4Limits.Check(settings))
                if (PassedTypeCheck("digitizer." + v.Key))
                    Problem("digitizer." + v.Key, Display(v.Value), v.Allowed + " [HS4 limit]");
            return settings;
        }

        private SimulatorSettings BindSimulator(Dictionary<string, object?> s, DigitizerSettings digitizer, DigitizerDriver driver)
        {
            var beam = Map(s, "beam");
            var detector = Map(s, "detector");
            var pulse = Map(s, "pulse");
            var noise = Map(s, "noise");
            var defaults = new SimulatorSettings();

            double rate = Range("simulator.bunch_rate_hz", Number(s, "bunch_rate_hz"), 1e-3, 1e5, "1e-3 to 1e5 Hz (LEETECH: 5 Hz)") ?? defaults.BunchRateHz;
            double jitterMs = Range("simulator.bunch_jitter_ms", Number(s, "bunch_jitter_ms"), 0, 1e3, "0 to 1000 ms") ?? 0.5;
            double lambda = Range("simulator.beam.lambda", Number(beam, "lambda"), 0, 1e4, "0 to 10000 electrons per bunch") ?? defaults.Lambda;
            double overdispersion = Range("simulator.beam.overdispersion", Number(beam, "overdispersion"), 0, 10, "0 (Poisson) to 10 (relative variance of the bunch intensity)") ?? 0;
            double energy = Range("simulator.beam.energy_mev", Number(beam, "energy_mev"), 0.1, 5, "0.1 to 5 MeV (the LEETECH beam)") ?? defaults.BeamEnergyMeV;
            string material = Text(detector, "material") ?? "diamond";
            double thickness = Range("simulator.detector.thickness_um", Number(detector, "thickness_um"), 1, 10_000, "1 to 10000 µm") ?? defaults.ThicknessMicrometres;
            var response = Text(detector, "response") == "template" ? DepositResponse.Template : DepositResponse.Landau;
            string? template = Text(detector, "template_file");
            double gainMv = Range("simulator.detector.gain_mv_per_mev", Number(detector, "gain_mv_per_mev"), 1e-6, 1e6, "> 0 and at most 1e6 mV/MeV (LEETECH: 53 mV/MeV)") ?? 53;
            long signalChannel = Integer(detector, "signal_channel") ?? 1;
            double shapingNs = Range("simulator.pulse.shaping_time_ns", Number(pulse, "shaping_time_ns"), 1, 1e7, "1 ns to 10 ms") ?? 250;
            long order = Integer(pulse, "order") ?? 4;
            double delayNs = Range("simulator.pulse.delay_ns", Number(pulse, "delay_ns"), 0, 1e9, "0 to 1e9 ns") ?? 100;
            double baselineMv = Range("simulator.noise.baseline_mv", Number(noise, "baseline_mv"), -1e5, 1e5, "-1e5 to 1e5 mV") ?? 1.5;
            double whiteMv = Range("simulator.noise.white_mv", Number(noise, "white_mv"), 0, 1e5, "0 to 1e5 mV rms") ?? 0.4;
            double pinkMv = Range("simulator.noise.pink_mv", Number(noise, "pink_mv"), 0, 1e5, "0 to 1e5 mV rms") ?? 0.15;
            long precomputed = Integer(s, "precomputed_waveforms") ?? 0;
            long seed = Integer(s, "seed") ?? 1;

            if (seed is < int.MinValue or > int.MaxValue) Problem("simulator.seed", seed.ToString(CultureInfo.InvariantCulture), "a 32-bit integer");
            if (order is < 1 or > 10) Problem("simulator.pulse.order", order.ToString(CultureInfo.InvariantCulture), "1 to 10 shaping stages (CR-RCⁿ)");
            if (signalChannel is < 1 or > Hs4Limits.ChannelCount)
                Problem("simulator.detector.signal_channel", signalChannel.ToString(CultureInfo.InvariantCulture), "a channel 1 to 4");
            else if (driver == DigitizerDriver.Simulator && !digitizer.Channels.Any(c => c.Id == signalChannel && c.Enabled))
                Problem("simulator.detector.signal_channel", signalChannel.ToString(CultureInfo.InvariantCulture),
                    $"an enabled digitizer channel (enabled: {string.Join(", ", digitizer.Channels.Where(c => c.Enabled).Select(c => c.Id))})");

            if (precomputed < 0 || precomputed > 100_000)
                Problem("simulator.precomputed_waveforms", precomputed.ToString(CultureInfo.InvariantCulture), "0 (off) to 100000 events");
            else if (precomputed > 0)
            {
                long bytes = precomputed * Math.Max(1, digitizer.Channels.Count(c => c.Enabled)) * (long)Math.Max(0, digitizer.RecordLength) * 2;
                if (bytes > 1L << 30)
                    Problem("simulator.precomputed_waveforms", precomputed.ToString(CultureInfo.InvariantCulture),
                        $"a pool of at most 1 GiB; {precomputed} events of this record length take {bytes / (1 << 20)} MiB");
            }

            if (response == DepositResponse.Template)
            {
                if (string.IsNullOrWhiteSpace(template))
                    Problem("simulator.detector.template_file", "null", "a file of single-electron deposits (MeV, one per line) when response is template");
                else
                {
                    template = Path.GetFullPath(Path.Combine(baseDirectory, template));
                    if (!File.Exists(template))
                        Problem("simulator.detector.template_file", $"'{template}'", "an existing file (relative paths are relative to the configuration file)");
                    else
                    {
                        try
                        {
                            TemplateDeposit.Load(template);
                        }
                        catch (Exception e) when (e is FormatException or IOException)
                        {
                            Problem("simulator.detector.template_file", $"'{template}'", $"a readable template: {e.Message}");
                        }
                    }
                }
            }
            else if (AbsorberMaterial.Find(material) is { } absorber && thickness > 0 && energy > 0)
            {
                var lv = LandauVavilov.For(absorber, thickness, energy);
                if (lv.MostProbableMeV >= energy)
                    Problem("simulator.beam.energy_mev", Format(energy),
                        $"an energy above the most probable deposit in {Format(thickness)} µm {material} ({Format(lv.MostProbableMeV)} MeV): the electron would stop in the detector");
            }

            var faults = FaultPlan.None;
            string? faultSpec = Text(s, "faults");
            try
            {
                faults = FaultPlan.Parse(faultSpec);
            }
            catch (FaultSpecException e)
            {
                Problem("simulator.faults", $"'{faultSpec}'", $"{FaultPlan.Syntax} — {e.Detail}");
            }

            return new SimulatorSettings
            {
                Seed = (int)Math.Clamp(seed, int.MinValue, int.MaxValue),
                SerialNumber = Text(s, "serial") ?? defaults.SerialNumber,
                BunchRateHz = rate,
                BunchJitter = TimeSpan.FromMilliseconds(jitterMs),
                Pacing = Text(s, "pacing") == "max" ? SimulationPacing.Max : SimulationPacing.RealTime,
                Lambda = lambda,
                Overdispersion = overdispersion,
                BeamEnergyMeV = energy,
                Material = material,
                ThicknessMicrometres = thickness,
                Response = response,
                TemplateFile = template,
                GainVoltsPerMeV = gainMv * 1e-3,
                SignalChannel = (int)Math.Clamp(signalChannel, 1, Hs4Limits.ChannelCount),
                ShapingTimeSeconds = shapingNs * 1e-9,
                ShaperOrder = (int)Math.Clamp(order, 1, 10),
                PulseDelaySeconds = delayNs * 1e-9,
                Polarity = Text(pulse, "polarity") == "negative" ? PulsePolarity.Negative : PulsePolarity.Positive,
                BaselineVolts = baselineMv * 1e-3,
                WhiteNoiseVolts = whiteMv * 1e-3,
                PinkNoiseVolts = pinkMv * 1e-3,
                Faults = faults,
                PrecomputedWaveforms = (int)Math.Clamp(precomputed, 0, 100_000),
            };
        }

        private string Address(string path, string? value)
        {
            value ??= "";
            string[] schemes = ["tcp://", "ipc://", "inproc://"];
            var scheme = schemes.FirstOrDefault(s => value.StartsWith(s, StringComparison.Ordinal));
            if (scheme is null || value.Length == scheme.Length)
                Problem(path, $"'{value}'", "a ZeroMQ endpoint: tcp://HOST:PORT (e.g. tcp://127.0.0.1:5555), ipc://PATH or inproc://NAME");
            else if (scheme == "tcp://")
            {
                int colon = value.LastIndexOf(':');
                string portText = colon < scheme.Length ? "" : value[(colon + 1)..];
                // '*' asks the system for a free port (tests, several daqs on one machine); the bound port is logged.
                if (colon < scheme.Length || (portText != "*" && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)))
                    Problem(path, $"'{value}'", "tcp://HOST:PORT with a port 1–65535 or * for any free port (e.g. tcp://127.0.0.1:5555)");
            }
            return value;
        }

        private TimeSpan Seconds(string path, double? value, double min, double max, string allowed) =>
            TimeSpan.FromSeconds(Range(path, value, min, max, allowed) ?? min);

        /// <summary>The value when within [min, max]; otherwise a problem and null.</summary>
        private double? Range(string path, double? value, double min, double max, string allowed)
        {
            if (value is not { } v) return null;
            if (v >= min && v <= max) return v;
            Problem(path, Format(v), allowed);
            return null;
        }

        private void Problem(string path, string? value, string allowed) =>
            problems.Add(new ConfigurationProblem(LocationOf(path), path, $"{path} = {value ?? "null"} is not allowed: {allowed}"));

        /// <summary>Where <paramref name="path"/> was written, else the nearest enclosing key that was, else the file.</summary>
        private SourceLocation LocationOf(string path)
        {
            for (string p = path; p.Length > 0; p = Parent(p))
                if (locations.TryGetValue(p, out var location)) return location;
            return file;
        }

        private bool PassedTypeCheck(string path) => !problems.Any(p => p.KeyPath == path || p.KeyPath.StartsWith(path + ".", StringComparison.Ordinal));

        private static string Parent(string path)
        {
            int dot = path.LastIndexOf('.');
            int bracket = path.LastIndexOf('[');
            int cut = Math.Max(dot, bracket);
            return cut <= 0 ? "" : path[..cut];
        }

        private static Dictionary<string, object?> Map(Dictionary<string, object?> parent, string key) =>
            parent.GetValueOrDefault(key) as Dictionary<string, object?> ?? [];

        private static string? Text(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) as string;
        private static double? Number(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) as double?;
        private static long? Integer(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) as long?;
        private static bool? Flag(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) as bool?;

        private static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);

        private static string? Display(object? value) => value switch
        {
            null => null,
            double d => Format(d),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
