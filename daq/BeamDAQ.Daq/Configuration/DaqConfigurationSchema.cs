using BeamDAQ.Daq.Configuration.Schema;

namespace BeamDAQ.Daq.Configuration;

/// <summary>
/// The schema of the daq configuration (<c>configs/daq.yaml</c> documents every key): the keys, their types
/// and defaults. Units are in the key names. Hardware limits are checked after the schema, against
/// <see cref="Digitizers.Hs4.Hs4Limits"/>.
/// </summary>
internal static class DaqConfigurationSchema
{
    private static SchemaField F(string key, SchemaType type, object? defaultValue = null, bool nullable = false, bool required = false) =>
        new(key, type, defaultValue, nullable, required);

    public static ObjectType Channel { get; } = new(
        F("id", ScalarType.Integer, required: true),
        F("enabled", ScalarType.Boolean, true),
        F("range_v", ScalarType.Number, 0.8),
        F("coupling", ScalarType.OneOf("dc", "ac"), "dc"));

    public static ObjectType Trigger { get; } = new(
        F("input", ScalarType.String, "EXT1"),
        F("edge", ScalarType.OneOf("rising", "falling"), "rising"),
        F("timeout_s", ScalarType.Number, null, nullable: true),
        F("holdoff_s", ScalarType.Number, 0.0));

    public static ObjectType Digitizer { get; } = new(
        F("driver", ScalarType.OneOf("simulator", "hs4"), "simulator"),
        F("serial", ScalarType.String, null, nullable: true),
        F("resolution_bits", ScalarType.Integer, 12L),
        F("sample_rate_hz", ScalarType.Number, 50e6),
        F("record_length", ScalarType.Integer, 2500L),
        F("pre_sample_ratio", ScalarType.Number, 0.2),
        F("channels", new ListType(Channel), new List<object?>
        {
            new Dictionary<string, object?> { ["id"] = 1L, ["enabled"] = true, ["range_v"] = 0.8, ["coupling"] = "dc" },
        }),
        F("trigger", Trigger));

    public static ObjectType Beam { get; } = new(
        F("lambda", ScalarType.Number, 2.2),
        F("overdispersion", ScalarType.Number, 0.0),
        F("energy_mev", ScalarType.Number, 2.7));

    public static ObjectType Detector { get; } = new(
        F("material", ScalarType.OneOf("diamond", "silicon"), "diamond"),
        F("thickness_um", ScalarType.Number, 500.0),
        F("response", ScalarType.OneOf("landau", "template"), "landau"),
        F("template_file", ScalarType.String, null, nullable: true),
        F("gain_mv_per_mev", ScalarType.Number, 53.0),
        F("signal_channel", ScalarType.Integer, 1L));

    public static ObjectType Pulse { get; } = new(
        F("shaping_time_ns", ScalarType.Number, 250.0),
        F("order", ScalarType.Integer, 4L),
        F("delay_ns", ScalarType.Number, 100.0),
        F("polarity", ScalarType.OneOf("positive", "negative"), "positive"));

    public static ObjectType Noise { get; } = new(
        F("baseline_mv", ScalarType.Number, 1.5),
        F("white_mv", ScalarType.Number, 0.4),
        F("pink_mv", ScalarType.Number, 0.15));

    public static ObjectType Simulator { get; } = new(
        F("seed", ScalarType.Integer, 1L),
        F("serial", ScalarType.String, "SIM00001"),
        F("bunch_rate_hz", ScalarType.Number, 5.0),
        F("bunch_jitter_ms", ScalarType.Number, 0.5),
        F("pacing", ScalarType.OneOf("realtime", "max"), "realtime"),
        F("beam", Beam),
        F("detector", Detector),
        F("pulse", Pulse),
        F("noise", Noise),
        F("faults", ScalarType.String, "", nullable: true),
        F("precomputed_waveforms", ScalarType.Integer, 0L));

    public static ObjectType Output { get; } = new(
        F("directory", ScalarType.String, "runs"));

    public static ObjectType Publish { get; } = new(
        F("address", ScalarType.String, "tcp://127.0.0.1:5555"),
        F("queue_length", ScalarType.Integer, 64L),
        F("drop_policy", ScalarType.OneOf("drop-oldest", "drop-newest"), "drop-oldest"),
        F("slow_subscriber", ScalarType.OneOf("drop-for-that-subscriber", "drop-for-all"), "drop-for-that-subscriber"));

    public static ObjectType RunControl { get; } = new(
        F("address", ScalarType.String, "tcp://127.0.0.1:5556"),
        F("token", ScalarType.String, null, nullable: true));

    public static ObjectType Root { get; } = new(
        F("digitizer", Digitizer),
        F("simulator", Simulator),
        F("output", Output),
        F("publish", Publish),
        F("run_control", RunControl),
        F("watchdog_s", ScalarType.Number, 2.0),
        F("heartbeat_s", ScalarType.Number, 1.0));
}
