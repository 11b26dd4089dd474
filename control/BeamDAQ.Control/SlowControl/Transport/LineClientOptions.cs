using BeamDAQ.Control.Facility.Configuration;

namespace BeamDAQ.Control.SlowControl.Transport;

/// <summary>Time-outs and reconnect back-off of a device connection.</summary>
public sealed record LineClientOptions
{
    /// <summary>Every read waits at most this long for the reply line.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait after the first failure before trying to reconnect; doubles per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(0.5);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public static LineClientOptions FromConfig(SlowControlConfig config) => new()
    {
        ReadTimeout = TimeSpan.FromMilliseconds(config.ReadTimeoutMs),
        ConnectTimeout = TimeSpan.FromMilliseconds(config.ConnectTimeoutMs),
        InitialBackoff = TimeSpan.FromSeconds(config.BackoffInitialS),
        MaxBackoff = TimeSpan.FromSeconds(config.BackoffMaxS),
    };
}
