namespace BeamDAQ.Daq.Digitizers;

/// <summary>Which device this is; the serial number is how a lost device is found again.</summary>
public sealed record DigitizerIdentity(string Model, string SerialNumber, string DriverVersion);
