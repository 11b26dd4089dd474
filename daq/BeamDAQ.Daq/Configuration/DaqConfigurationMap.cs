using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Daq.Configuration;

/// <summary>
/// A <see cref="DaqConfiguration"/> as a plain map with the keys of the YAML file, built from the records
/// (so a configuration changed in code is recorded as it is). Loading this map back gives the same configuration.
/// </summary>
internal static class DaqConfigurationMap
{
    public const string RedactedToken = "(redacted)";

    public static Dictionary<string, object?> ToMap(DaqConfiguration c)
    {
        var d = c.Digitizer;
        var s = c.Simulator;
        return new Dictionary<string, object?>
        {
            ["digitizer"] = new Dictionary<string, object?>
            {
                ["driver"] = c.Driver == DigitizerDriver.Hs4 ? "hs4" : "simulator",
                ["serial"] = d.SerialNumber,
                ["resolution_bits"] = (long)d.ResolutionBits,
                ["sample_rate_hz"] = d.SampleRateHz,
                ["record_length"] = (long)d.RecordLength,
                ["pre_sample_ratio"] = d.PreSampleRatio,
                ["channels"] = d.Channels.Select(ch => (object?)new Dictionary<string, object?>
                {
                    ["id"] = (long)ch.Id,
                    ["enabled"] = ch.Enabled,
                    ["range_v"] = ch.RangeVolts,
                    ["coupling"] = ch.Coupling == Coupling.AC ? "ac" : "dc",
                }).ToList(),
                ["trigger"] = new Dictionary<string, object?>
                {
                    ["input"] = d.TriggerInput,
                    ["edge"] = d.TriggerEdge == TriggerEdge.Falling ? "falling" : "rising",
                    ["timeout_s"] = d.TriggerTimeout?.TotalSeconds,
                    ["holdoff_s"] = d.TriggerHoldOff.TotalSeconds,
                },
            },
            ["simulator"] = new Dictionary<string, object?>
            {
                ["seed"] = (long)s.Seed,
                ["serial"] = s.SerialNumber,
                ["bunch_rate_hz"] = s.BunchRateHz,
                ["bunch_jitter_ms"] = s.BunchJitter.TotalMilliseconds,
                ["pacing"] = s.Pacing == SimulationPacing.Max ? "max" : "realtime",
                ["beam"] = new Dictionary<string, object?>
                {
                    ["lambda"] = s.Lambda,
                    ["overdispersion"] = s.Overdispersion,
                    ["energy_mev"] = s.BeamEnergyMeV,
                },
                ["detector"] = new Dictionary<string, object?>
                {
                    ["material"] = s.Material,
                    ["thickness_um"] = s.ThicknessMicrometres,
                    ["response"] = s.Response == DepositResponse.Template ? "template" : "landau",
                    ["template_file"] = s.TemplateFile,
                    ["gain_mv_per_mev"] = s.GainVoltsPerMeV * 1e3,
                    ["signal_channel"] = (long)s.SignalChannel,
                },
                ["pulse"] = new Dictionary<string, object?>
                {
                    ["shaping_time_ns"] = s.ShapingTimeSeconds * 1e9,
                    ["order"] = (long)s.ShaperOrder,
                    ["delay_ns"] = s.PulseDelaySeconds * 1e9,
                    ["polarity"] = s.Polarity == PulsePolarity.Negative ? "negative" : "positive",
                },
                ["noise"] = new Dictionary<string, object?>
                {
                    ["baseline_mv"] = s.BaselineVolts * 1e3,
                    ["white_mv"] = s.WhiteNoiseVolts * 1e3,
                    ["pink_mv"] = s.PinkNoiseVolts * 1e3,
                },
                ["faults"] = s.Faults.ToString(),
                ["precomputed_waveforms"] = (long)s.PrecomputedWaveforms,
            },
            ["output"] = new Dictionary<string, object?> { ["directory"] = c.OutputDirectory },
            ["publish"] = new Dictionary<string, object?>
            {
                ["address"] = c.PublishAddress,
                ["queue_length"] = (long)c.PublishQueueLength,
                ["drop_policy"] = c.PublishDropPolicy == PublicationDropPolicy.DropNewest ? "drop-newest" : "drop-oldest",
                ["slow_subscriber"] = c.SlowSubscriber == PublisherDropPolicy.DropForAllSubscribers ? "drop-for-all" : "drop-for-that-subscriber",
            },
            ["run_control"] = new Dictionary<string, object?>
            {
                ["address"] = c.RunControlAddress,
                ["token"] = c.RunControlToken is null ? null : RedactedToken,
            },
            ["watchdog_s"] = c.Watchdog.TotalSeconds,
            ["heartbeat_s"] = c.Heartbeat.TotalSeconds,
        };
    }
}
