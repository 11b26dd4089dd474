using System.Globalization;
using BeamDAQ.Control.RunControl.Server;
using BeamDAQ.Protocol.Hosting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BeamDAQ.Control.RunControl.Configuration;

/// <summary>
/// Reads configs/control.yaml strictly: an unknown key, a value of the wrong type or out of range stops start-up
/// (exit code 2) with file:line, the key's full path, the value and what is allowed — every problem at once.
/// </summary>
public static class ControlConfigLoader
{
    public const string DefaultPath = "configs/control.yaml";

    public static ControlConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            throw new ControlConfigException(path, [$"cannot read the file: {why}"]);
        }
        return Parse(text, path);
    }

    public static ControlConfig Parse(string yaml, string source)
    {
        var reader = new Reader(source);
        YamlMappingNode? root = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count > 0)
            {
                if (stream.Documents[0].RootNode is YamlMappingNode mapping) root = mapping;
                else if (stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" }) root = null;
                else reader.Problem(stream.Documents[0].RootNode, "(top level)", "a mapping of sections (listen, publish, daq, ...)");
            }
        }
        catch (YamlException e)
        {
            throw new ControlConfigException(source, [$"line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {e.Message}"]);
        }
        var config = root is null ? new ControlConfig { Source = source } : reader.Read(root);
        if (reader.Problems.Count > 0)
            throw new ControlConfigException(source, reader.Problems);
        return config;
    }

    private sealed class Reader(string source)
    {
        public List<string> Problems { get; } = [];

        public ControlConfig Read(YamlMappingNode root)
        {
            var defaults = new ControlConfig();
            var top = Section(root, "", ["listen", "publish", "catalog", "daq", "analysis", "facility", "run", "slow_control", "supervision_interval_s"]);
            var listen = Section(top, "listen", ["address", "token_file"]);
            var publish = Section(top, "publish", ["address"]);
            var daq = Section(top, "daq", ["control_address", "publish_address", "token_file", "query_timeout_s", "command_timeout_s",
                "retries", "heartbeat_timeout_s", "simulated_beam_from_facility", "config"]);
            var analysis = Section(top, "analysis", ["publish_address"]);
            var facility = Section(top, "facility", ["enabled", "config", "host", "base_port"]);
            var run = Section(top, "run", ["operator", "detector", "collimator_settle_timeout_s", "progress_interval_s"]);
            var slowControl = Section(top, "slow_control", ["idle_store_interval_s"]);

            return new ControlConfig
            {
                Source = source,
                ListenAddress = Address(listen, "listen.address") ?? defaults.ListenAddress,
                ListenTokenFile = Text(listen, "listen.token_file", nullable: true),
                PublishAddress = Address(publish, "publish.address") ?? defaults.PublishAddress,
                Catalog = Text(top, "catalog", nullable: true),
                DaqControlAddress = Address(daq, "daq.control_address") ?? defaults.DaqControlAddress,
                DaqPublishAddress = Address(daq, "daq.publish_address") ?? defaults.DaqPublishAddress,
                DaqTokenFile = Text(daq, "daq.token_file", nullable: true),
                DaqQueryTimeoutS = Number(daq, "daq.query_timeout_s", 0.01, 600, "s") ?? defaults.DaqQueryTimeoutS,
                DaqCommandTimeoutS = Number(daq, "daq.command_timeout_s", 0.01, 3600, "s") ?? defaults.DaqCommandTimeoutS,
                DaqRetries = (int)(Integer(daq, "daq.retries", 0, 10) ?? defaults.DaqRetries),
                HeartbeatTimeoutS = Number(daq, "daq.heartbeat_timeout_s", 0.1, 3600, "s") ?? defaults.HeartbeatTimeoutS,
                SimulatedBeamFromFacility = Flag(daq, "daq.simulated_beam_from_facility") ?? defaults.SimulatedBeamFromFacility,
                DaqConfigOverrides = FreeMap(daq, "daq.config"),
                AnalysisPublishAddress = Has(analysis, "publish_address") ? NullableAddress(analysis, "analysis.publish_address") : defaults.AnalysisPublishAddress,
                FacilityEnabled = Flag(facility, "facility.enabled") ?? true,
                FacilityConfig = Text(facility, "facility.config", nullable: false) ?? defaults.FacilityConfig,
                FacilityHost = Text(facility, "facility.host", nullable: true),
                FacilityBasePort = (int?)Integer(facility, "facility.base_port", 1, 65530),
                DefaultOperator = Text(run, "run.operator", nullable: true),
                Detector = Has(run, "detector") ? Text(run, "run.detector", nullable: true) : defaults.Detector,
                CollimatorSettleTimeoutS = Number(run, "run.collimator_settle_timeout_s", 0.1, 3600, "s") ?? defaults.CollimatorSettleTimeoutS,
                ProgressIntervalS = Number(run, "run.progress_interval_s", 0.1, 3600, "s") ?? defaults.ProgressIntervalS,
                IdleStoreIntervalS = Has(slowControl, "idle_store_interval_s")
                    ? NullableNumber(slowControl, "slow_control.idle_store_interval_s", 0, 86400, "s")
                    : defaults.IdleStoreIntervalS,
                SupervisionIntervalS = Number(top, "supervision_interval_s", 0.01, 10, "s") ?? defaults.SupervisionIntervalS,
            };
        }

        public void Problem(YamlNode node, string key, string expected, string? value = null) =>
            Problems.Add($"{source}:{node.Start.Line}: {key} = {value ?? Show(node)}: expected {expected}");

        /// <summary>A section's mapping (empty when absent), checking its keys against <paramref name="allowed"/>.</summary>
        private YamlMappingNode Section(YamlMappingNode parent, string path, string[] allowed)
        {
            YamlMappingNode section;
            if (path.Length == 0)
                section = parent;
            else
            {
                var node = Child(parent, path);
                if (node is null || IsNull(node)) return new YamlMappingNode();
                if (node is not YamlMappingNode mapping)
                {
                    Problem(node, path, "a mapping of keys");
                    return new YamlMappingNode();
                }
                section = mapping;
            }
            foreach (var key in section.Children.Keys)
            {
                string name = (key as YamlScalarNode)?.Value ?? "?";
                if (!allowed.Contains(name))
                    Problems.Add($"{source}:{key.Start.Line}: unknown key '{(path.Length == 0 ? name : path + "." + name)}'; " +
                                 $"allowed {(path.Length == 0 ? "at the top level" : $"in '{path}'")}: {string.Join(", ", allowed)}");
            }
            return section;
        }

        private static YamlNode? Child(YamlMappingNode parent, string path)
        {
            string key = path[(path.LastIndexOf('.') + 1)..];
            return parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
        }

        private static bool Has(YamlMappingNode parent, string key) => parent.Children.ContainsKey(new YamlScalarNode(key));

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        private YamlScalarNode? Scalar(YamlMappingNode parent, string path, string expected)
        {
            var node = Child(parent, path);
            if (node is null || IsNull(node)) return null;
            if (node is YamlScalarNode scalar) return scalar;
            Problem(node, path, expected);
            return null;
        }

        private string? Text(YamlMappingNode parent, string path, bool nullable)
        {
            var node = Child(parent, path);
            if (node is not null && IsNull(node) && !nullable)
                Problem(node, path, "a text value (null not allowed)");
            var scalar = Scalar(parent, path, "a text value");
            if (scalar?.Value is { } text && string.IsNullOrWhiteSpace(text))
            {
                Problem(scalar, path, "a non-blank text" + (nullable ? " or null" : ""));
                return null;
            }
            return scalar?.Value;
        }

        private string? Address(YamlMappingNode parent, string path)
        {
            var node = Child(parent, path);
            if (node is not null && IsNull(node))
            {
                Problem(node, path, "an endpoint such as tcp://127.0.0.1:5559 (null not allowed)");
                return null;
            }
            return NullableAddress(parent, path);
        }

        private string? NullableAddress(YamlMappingNode parent, string path)
        {
            var scalar = Scalar(parent, path, "an endpoint such as tcp://127.0.0.1:5559");
            if (scalar?.Value is not { } address) return null;
            if (EndpointSecurity.CheckAddress(address) is { } expected)
            {
                Problem(scalar, path, expected);
                return null;
            }
            return address;
        }

        private double? Number(YamlMappingNode parent, string path, double min, double max, string unit)
        {
            var node = Child(parent, path);
            if (node is not null && IsNull(node))
            {
                Problem(node, path, $"a number from {min} to {max} {unit} (null not allowed)");
                return null;
            }
            return NullableNumber(parent, path, min, max, unit);
        }

        private double? NullableNumber(YamlMappingNode parent, string path, double min, double max, string unit)
        {
            string expected = $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} {unit}";
            var scalar = Scalar(parent, path, expected);
            if (scalar?.Value is not { } text) return null;
            if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
                || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                Problem(scalar, path, expected);
                return null;
            }
            if (!(value >= min && value <= max))
            {
                Problem(scalar, path, expected);
                return null;
            }
            return value;
        }

        private long? Integer(YamlMappingNode parent, string path, long min, long max)
        {
            string expected = $"an integer from {min} to {max}";
            var scalar = Scalar(parent, path, expected);
            if (scalar?.Value is not { } text) return null;
            if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
                || !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
            {
                Problem(scalar, path, expected);
                return null;
            }
            return value;
        }

        private bool? Flag(YamlMappingNode parent, string path)
        {
            var scalar = Scalar(parent, path, "true or false");
            if (scalar?.Value is not { } text) return null;
            switch (text)
            {
                case "true" or "True" or "TRUE": return true;
                case "false" or "False" or "FALSE": return false;
                default:
                    Problem(scalar, path, "true or false");
                    return null;
            }
        }

        /// <summary>A free-form mapping passed on as it is (the daq validates its own keys): scalars typed as YAML 1.2 core.</summary>
        private IReadOnlyDictionary<string, object?>? FreeMap(YamlMappingNode parent, string path)
        {
            var node = Child(parent, path);
            if (node is null || IsNull(node)) return null;
            if (node is not YamlMappingNode mapping)
            {
                Problem(node, path, "a mapping of daq configuration keys (as in configs/daq.yaml)");
                return null;
            }
            return (IReadOnlyDictionary<string, object?>?)Value(mapping, path);
        }

        private object? Value(YamlNode node, string path)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (key, value) in mapping.Children)
                    {
                        string name = (key as YamlScalarNode)?.Value ?? "?";
                        map[name] = Value(value, path + "." + name);
                    }
                    return map;
                case YamlSequenceNode sequence:
                    return sequence.Children.Select((child, i) => Value(child, $"{path}[{i}]")).ToList();
                case YamlScalarNode scalar:
                    if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) return scalar.Value;
                    if (IsNull(scalar)) return null;
                    string text = scalar.Value!;
                    if (text is "true" or "True" or "TRUE") return true;
                    if (text is "false" or "False" or "FALSE") return false;
                    if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer)) return integer;
                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)) return number;
                    return text;
                default:
                    Problem(node, path, "a mapping, a list or a scalar");
                    return null;
            }
        }

        private static string Show(YamlNode node) => node switch
        {
            _ when IsNull(node) => "null",
            YamlScalarNode s => $"'{s.Value}'",
            YamlMappingNode => "(a mapping)",
            YamlSequenceNode => "(a list)",
            _ => "?",
        };
    }
}

/// <summary>An invalid control configuration: bad usage (exit code 2), listing every problem found.</summary>
public sealed class ControlConfigException(string source, IReadOnlyList<string> problems)
    : UsageException($"{source}: invalid control configuration:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
{
    public string ConfigSource { get; } = source;
    public IReadOnlyList<string> Problems { get; } = problems;
}
