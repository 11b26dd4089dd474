using BeamDAQ.Daq.Configuration;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>The acquisition loop's timers and recovery policy. Times of waiting are on the digitizer's (injected) clock.</summary>
public sealed record AcquisitionOptions
{
    /// <summary>No trigger for this long raises the <c>no-trigger</c> alarm (the digitizer stays armed, the run goes on).</summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait between attempts to reopen a lost digitizer; doubled after each failure …</summary>
    public TimeSpan RecoveryBackoffInitial { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>… up to this.</summary>
    public TimeSpan RecoveryBackoffMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>An outage longer than this ends the run ("device lost"); null waits until the run is stopped.</summary>
    public TimeSpan? MaxOutage { get; init; }

    /// <summary>
    /// The bunch rate assumed for missed-trigger estimates when a device has no trigger counter and too few events
    /// were recorded to measure the rate (PHIL: 5 Hz).
    /// </summary>
    public double NominalTriggerRateHz { get; init; } = 5;

    public static AcquisitionOptions From(DaqConfiguration configuration) => new()
    {
        Watchdog = configuration.Watchdog,
        NominalTriggerRateHz = configuration.Simulator.BunchRateHz,
    };
}
