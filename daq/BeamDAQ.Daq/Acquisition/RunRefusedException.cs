namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// A run that cannot start, for a reason the operator can fix (the run file exists, the output directory is not
/// writable, nothing is configured, a run is already going). Nothing was armed and no file was left behind.
/// </summary>
public sealed class RunRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The configured digitizer cannot be opened (absent, or open in another program).</summary>
public sealed class DigitizerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
