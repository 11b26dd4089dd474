namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>
/// The parts of the page that change independently. Each has a version in <see cref="LiveState"/>, so a browser
/// update carries only the parts that changed, and the heavy ones (spectra, waveforms) at a bounded rate.
/// </summary>
[Flags]
public enum MonitorSections
{
    None = 0,
    /// <summary>Counters and rates: events, missed, dropped, trigger rate, dead time, newest trigger time.</summary>
    Status = 1 << 0,
    /// <summary>Run number and state, run.begin metadata, run.end.</summary>
    Run = 1 << 1,
    Spectra = 1 << 2,
    Fits = 1 << 3,
    Trend = 1 << 4,
    Waveforms = 1 << 5,
    Noise = 1 << 6,
    SlowControl = 1 << 7,
    Alarms = 1 << 8,
    /// <summary>Freeze, clear-at-run-start, whether run control is enabled.</summary>
    Controls = 1 << 9,
    All = (1 << 10) - 1,
}
