namespace BeamDAQ.Daq.Digitizers;

/// <summary>The device dropped off the bus (USB removal, libtiepie OBJECT_GONE, a failed read).</summary>
public sealed class DigitizerGoneException(string message, Exception? inner = null) : Exception(message, inner);
