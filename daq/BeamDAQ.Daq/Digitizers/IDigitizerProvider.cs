namespace BeamDAQ.Daq.Digitizers;

/// <summary>Opens digitizers by serial number and lists those attached (the <c>devices</c> command).</summary>
public interface IDigitizerProvider
{
    IReadOnlyList<DigitizerIdentity> ListDevices();

    /// <summary>Opens the device with <paramref name="serialNumber"/>, or the first one when it is null; null when absent.</summary>
    IDigitizer? TryOpen(string? serialNumber);
}
