namespace BeamDAQ.Daq.Digitizers;

public enum Coupling { DC, AC }

public enum TriggerEdge { Rising, Falling }

/// <summary>Per-channel request: enable, full-scale range in volts, coupling.</summary>
public sealed record ChannelSettings(int Id, bool Enabled, double RangeVolts, Coupling Coupling = Coupling.DC);

/// <summary>
/// What the daq asks of the digitizer (from the <c>digitizer:</c> section of the configuration).
/// <see cref="TriggerTimeout"/> null means infinite: a missing beam trigger must not become junk events.
/// </summary>
public sealed record DigitizerSettings(
    int ResolutionBits,
    double SampleRateHz,
    int RecordLength,
    double PreSampleRatio,
    IReadOnlyList<ChannelSettings> Channels,
    string TriggerInput = "EXT1",
    TriggerEdge TriggerEdge = TriggerEdge.Rising,
    TimeSpan? TriggerTimeout = null,
    TimeSpan TriggerHoldOff = default,
    string? SerialNumber = null);

/// <summary>Per-channel values as the device applied them, with the calibration of its codes.</summary>
public sealed record AppliedChannel(int Id, bool Enabled, double RangeVolts, Coupling Coupling, double VoltsPerCode, double OffsetVolts);

/// <summary>The settings as actually applied (recorded in run.begin as <c>applied</c>).</summary>
public sealed record AppliedSettings(
    DigitizerIdentity Device,
    int ResolutionBits,
    double SampleRateHz,
    int RecordLength,
    double PreSampleRatio,
    IReadOnlyList<AppliedChannel> Channels,
    string TriggerInput,
    TriggerEdge TriggerEdge,
    TimeSpan? TriggerTimeout,
    TimeSpan TriggerHoldOff);
