namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>How the control node polls the facility.</summary>
public sealed class SlowControlConfig
{
    public double PollIntervalS { get; set; } = 1.0;

    /// <summary>Every read waits at most this long; a device that does not answer in time is 'lost'.</summary>
    public int ReadTimeoutMs { get; set; } = 1000;
    public int ConnectTimeoutMs { get; set; } = 1000;

    /// <summary>After a failure the client waits before reconnecting, doubling from initial up to max.</summary>
    public double BackoffInitialS { get; set; } = 0.5;
    public double BackoffMaxS { get; set; } = 10.0;

    /// <summary><c>steinhart_hart</c> or <c>b_parameter</c> (see temperatures.thermistor).</summary>
    public string TemperatureConversion { get; set; } = "steinhart_hart";

    /// <summary>How often the beam-intensity client refreshes its cached λ for the digitizer simulator.</summary>
    public double BeamRefreshIntervalS { get; set; } = 0.2;

    public static readonly IReadOnlyList<string> Conversions = ["steinhart_hart", "b_parameter"];

    internal void Validate(ConfigErrors errors, string prefix)
    {
        errors.Range(prefix + ".poll_interval_s", PollIntervalS, 0.01, 3600, "s");
        errors.Range(prefix + ".read_timeout_ms", ReadTimeoutMs, 10, 60_000, "ms");
        errors.Range(prefix + ".connect_timeout_ms", ConnectTimeoutMs, 10, 60_000, "ms");
        errors.Range(prefix + ".backoff_initial_s", BackoffInitialS, 0, 3600, "s");
        errors.Range(prefix + ".backoff_max_s", BackoffMaxS, BackoffInitialS, 3600, "s (at least backoff_initial_s)");
        if (!Conversions.Contains(TemperatureConversion))
            errors.Add(prefix + ".temperature_conversion", TemperatureConversion, "one of " + string.Join(", ", Conversions));
        errors.Range(prefix + ".beam_refresh_interval_s", BeamRefreshIntervalS, 0.01, 60, "s");
    }
}
