namespace BeamDAQ.Daq.Digitizers;

/// <summary>A requested setting outside the device's limits. The message quotes the key, the value and the limit.</summary>
public sealed class DigitizerSettingsException(string key, object? value, string allowed)
    : Exception($"digitizer setting '{key}' = {value} is not allowed: {allowed}")
{
    public string Key { get; } = key;
    public object? Value { get; } = value;
    public string Allowed { get; } = allowed;
}
