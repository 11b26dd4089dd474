namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// The <c>reason</c> strings of <c>run.end</c> that the front end itself chooses (run control's <c>stop</c>
/// passes its own). Those marked as failures send run control to its Error state and <c>run</c> to exit code 1.
/// </summary>
public static class RunEndReasons
{
    /// <summary>Stopped by the operator (Ctrl-C, or <c>stop</c> without a reason).</summary>
    public const string Operator = "operator";
    /// <summary>The requested number of events was recorded.</summary>
    public const string EventLimit = "event limit";
    /// <summary>The program was asked to shut down during the run.</summary>
    public const string Shutdown = "shutdown";
    /// <summary>The disk holding the run file filled up; the file is readable up to its last whole record.</summary>
    public const string DiskFull = "disk full";
    /// <summary>The digitizer left the bus and did not come back within the allowed outage.</summary>
    public const string DeviceLost = "device lost";
    /// <summary>Prefix: the digitizer came back but took other settings than the run's ("settings changed after reconnect: …").</summary>
    public const string SettingsChangedPrefix = "settings changed after reconnect";
    /// <summary>Prefix: the digitizer came back but refused the run's settings ("settings rejected after reconnect: …").</summary>
    public const string SettingsRejectedPrefix = "settings rejected after reconnect";
    /// <summary>Prefix: something unexpected ("error: …"); the log has the details.</summary>
    public const string ErrorPrefix = "error";

    /// <summary>Whether a run that ended for <paramref name="reason"/> ended in a failure (not by request or plan).</summary>
    public static bool IsFailure(string reason) =>
        reason == DiskFull || reason == DeviceLost
        || reason.StartsWith(SettingsChangedPrefix, StringComparison.Ordinal)
        || reason.StartsWith(SettingsRejectedPrefix, StringComparison.Ordinal)
        || reason.StartsWith(ErrorPrefix + ":", StringComparison.Ordinal);
}
