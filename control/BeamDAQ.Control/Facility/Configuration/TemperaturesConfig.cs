namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>The NTC thermistor readout: one resistance per channel, converted to a temperature by the client.</summary>
public sealed class TemperaturesConfig : DeviceAddressConfig
{
    /// <summary>The sensors' R(T) curve, shared by the simulator (truth) and the client (conversion).</summary>
    public ThermistorConfig Thermistor { get; set; } = new();

    /// <summary>Gaussian read noise of the simulated readout, K.</summary>
    public double NoiseK { get; set; } = 0.005;

    public List<TemperatureChannelConfig> Channels { get; set; } =
    [
        new() { Name = "diamond", BaseC = 22.0, DriftAmplitudeK = 0.2, DriftPeriodS = 3600 },
        new() { Name = "magnet_coil", BaseC = 27.0, DriftAmplitudeK = 0.5, DriftPeriodS = 1800 },
        new() { Name = "hv_supply", BaseC = 30.0, DriftAmplitudeK = 0.3, DriftPeriodS = 2400 },
        new() { Name = "hall", BaseC = 21.0, DriftAmplitudeK = 0.4, DriftPeriodS = 7200 },
    ];

    internal void Validate(ConfigErrors errors, string prefix)
    {
        ValidateAddress(errors, prefix);
        Thermistor.Validate(errors, prefix + ".thermistor");
        errors.Range(prefix + ".noise_k", NoiseK, 0, 1, "K");
        if (Channels is not { Count: > 0 })
        {
            errors.Add(prefix + ".channels", null, "at least one channel");
            return;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Channels.Count; i++)
        {
            var channel = Channels[i];
            string key = $"{prefix}.channels[{i}]";
            if (string.IsNullOrWhiteSpace(channel.Name) || channel.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
                errors.Add(key + ".name", channel.Name, "a name of letters, digits and '_'");
            else if (!names.Add(channel.Name))
                errors.Add(key + ".name", channel.Name, "a name not used by another channel");
            errors.Range(key + ".base_c", channel.BaseC, -50, 150, "degC");
            errors.Range(key + ".drift_amplitude_k", channel.DriftAmplitudeK, 0, 20, "K");
            errors.Positive(key + ".drift_period_s", channel.DriftPeriodS, 1e7, "s");
        }
    }
}

public sealed class TemperatureChannelConfig
{
    public string Name { get; set; } = "";
    public double BaseC { get; set; } = 22.0;

    /// <summary>Slow sinusoidal drift (day/night, cooling cycles): amplitude and period.</summary>
    public double DriftAmplitudeK { get; set; } = 0.2;
    public double DriftPeriodS { get; set; } = 3600;
}

/// <summary>
/// A 10 kΩ-class NTC described both ways. Steinhart–Hart (1/T = a + b·ln R + c·ln³R) is the sensor's curve;
/// the B-parameter form is its two-point approximation (B25/50), off by up to ~1 K away from 25–50 °C.
/// </summary>
public sealed class ThermistorConfig
{
    public SteinhartHartConfig SteinhartHart { get; set; } = new();
    public BParameterConfig BParameter { get; set; } = new();

    internal void Validate(ConfigErrors errors, string prefix)
    {
        SteinhartHart.Validate(errors, prefix + ".steinhart_hart");
        BParameter.Validate(errors, prefix + ".b_parameter");
    }
}

public sealed class SteinhartHartConfig
{
    public double A { get; set; } = 1.009249522e-3;
    public double B { get; set; } = 2.378405444e-4;
    public double C { get; set; } = 2.019202697e-7;

    internal void Validate(ConfigErrors errors, string prefix)
    {
        errors.Positive(prefix + ".a", A, 1.0, "1/K");
        errors.Positive(prefix + ".b", B, 1.0, "1/K");
        errors.Range(prefix + ".c", C, 0, 1.0, "1/K");
    }
}

public sealed class BParameterConfig
{
    public double R25Ohm { get; set; } = 9876.6;
    public double BetaK { get; set; } = 3519.0;

    internal void Validate(ConfigErrors errors, string prefix)
    {
        errors.Positive(prefix + ".r25_ohm", R25Ohm, 1e9, "ohm");
        errors.Range(prefix + ".beta_k", BetaK, 500, 10000, "K");
    }
}
