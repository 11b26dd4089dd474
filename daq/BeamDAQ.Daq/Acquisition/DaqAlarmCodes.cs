namespace BeamDAQ.Daq.Acquisition;

/// <summary>The <c>code</c> of every <c>alarm</c> the front end raises (source <c>daq</c>); stable names for rules and the catalog.</summary>
public static class DaqAlarmCodes
{
    public const string Source = "daq";

    /// <summary>No trigger within the watchdog time; the run goes on and the digitizer stays armed.</summary>
    public const string NoTrigger = "no-trigger";
    /// <summary>Triggers arrive again after a <see cref="NoTrigger"/>; carries the silence's duration.</summary>
    public const string TriggerResumed = "trigger-resumed";
    /// <summary>The digitizer left the bus (removed, gone, failed read); the daq is reopening it.</summary>
    public const string DeviceLost = "device-lost";
    /// <summary>The digitizer is back with every setting verified; carries the gap (start, end, duration, missed triggers).</summary>
    public const string DeviceRecovered = "device-recovered";
    /// <summary>The reconnected digitizer took other settings, or never came back: the run ended.</summary>
    public const string DeviceFailed = "device-failed";
    /// <summary>The run file's disk is full: the run ended.</summary>
    public const string DiskFull = "disk-full";
}
