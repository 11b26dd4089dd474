namespace BeamDAQ.Control.SlowControl.Calibration;

/// <summary>An NTC thermistor's resistance–temperature curve, both ways.</summary>
public interface INtcConversion
{
    /// <summary>Short name for logs and metadata: "steinhart_hart" or "b_parameter".</summary>
    string Name { get; }

    double TemperatureC(double resistanceOhm);

    double ResistanceOhm(double temperatureC);
}

internal static class Kelvin
{
    public const double ZeroCelsius = 273.15;
}
