namespace BeamDAQ.Daq.Digitizers.Hs4.Interop;

/// <summary>
/// libtiepie-hw reported an error that is neither a removed device (<see cref="DigitizerGoneException"/>) nor a
/// refused setting (<see cref="DigitizerSettingsException"/>), or the library could not be loaded.
/// The message names the C function, the status and the library's own text.
/// </summary>
public sealed class LibTiePieException(string function, string status, string message, Exception? inner = null)
    : Exception($"libtiepie-hw {function}: {status}{(string.IsNullOrEmpty(message) ? "" : $" ({message})")}", inner)
{
    public string Function { get; } = function;
    public string Status { get; } = status;
}
