using BeamDAQ.Control.Facility.Configuration;

namespace BeamDAQ.Control.SlowControl.Calibration;

public static class NtcConversions
{
    /// <summary>The conversion named by slow_control.temperature_conversion, with the thermistor section's coefficients.</summary>
    public static INtcConversion FromConfig(ThermistorConfig thermistor, string kind) => kind switch
    {
        "steinhart_hart" => SensorCurve(thermistor),
        "b_parameter" => new BParameterNtc(thermistor.BParameter.R25Ohm, thermistor.BParameter.BetaK),
        _ => throw new ArgumentException($"unknown temperature conversion '{kind}' (steinhart_hart, b_parameter)", nameof(kind)),
    };

    /// <summary>The sensors' own curve (what the simulated readout obeys).</summary>
    public static SteinhartHartNtc SensorCurve(ThermistorConfig thermistor) =>
        new(thermistor.SteinhartHart.A, thermistor.SteinhartHart.B, thermistor.SteinhartHart.C);
}
