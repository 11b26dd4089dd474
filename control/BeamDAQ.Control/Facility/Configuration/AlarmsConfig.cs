namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>Thresholds of the control node's alarm rules.</summary>
public sealed class AlarmsConfig
{
    /// <summary>Default temperature band for every channel without its own entry in <see cref="TemperatureBands"/>.</summary>
    public double TemperatureLowC { get; set; } = 10.0;
    public double TemperatureHighC { get; set; } = 40.0;

    /// <summary>Per-channel bands [low, high] in °C, by channel name.</summary>
    public Dictionary<string, double[]> TemperatureBands { get; set; } = new()
    {
        ["diamond"] = [15.0, 30.0],
    };

    /// <summary>A band alarm clears only this far inside the band, so a value on the edge does not chatter.</summary>
    public double TemperatureHysteresisK { get; set; } = 0.5;

    /// <summary>Rate alarm: a change of more than rate_limit_k within rate_window_s (a coolant or heater fault).</summary>
    public double RateLimitK { get; set; } = 1.0;
    public double RateWindowS { get; set; } = 2.0;

    /// <summary>Raise 'no trigger' when a running daq counted no trigger for this long.</summary>
    public double NoTriggerS { get; set; } = 10.0;

    internal void Validate(ConfigErrors errors, string prefix, TemperaturesConfig temperatures)
    {
        errors.Range(prefix + ".temperature_low_c", TemperatureLowC, -100, 200, "degC");
        errors.Range(prefix + ".temperature_high_c", TemperatureHighC, TemperatureLowC, 200, "degC (above temperature_low_c)");
        foreach (var (name, band) in TemperatureBands ?? [])
        {
            string key = $"{prefix}.temperature_bands.{name}";
            if (temperatures.Channels?.All(c => c.Name != name) ?? true)
                errors.Add(key, name, "the name of a channel in temperatures.channels");
            if (band is not { Length: 2 } || !(band[0] < band[1]))
                errors.Add(key, band is null ? null : $"[{string.Join(", ", band)}]", "[low, high] with low < high in degC");
        }
        errors.Range(prefix + ".temperature_hysteresis_k", TemperatureHysteresisK, 0, 50, "K");
        errors.Positive(prefix + ".rate_limit_k", RateLimitK, 100, "K");
        errors.Positive(prefix + ".rate_window_s", RateWindowS, 3600, "s");
        errors.Positive(prefix + ".no_trigger_s", NoTriggerS, 86400, "s");
    }
}
