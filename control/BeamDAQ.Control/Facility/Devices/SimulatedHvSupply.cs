using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// The detector bias supply: the voltage ramps towards the set point, the leakage current is V / R_bulk plus
/// an injectable excess (a damaged detector, humidity), and the supply trips — output off, voltage dropped,
/// trip latched until reset — when the leakage exceeds the trip limit.
/// </summary>
public sealed class SimulatedHvSupply
{
    private readonly object gate = new();
    private readonly IClock clock;
    private DateTimeOffset lastUpdate;
    private double voltage;
    private double setPoint;
    private double tripLimit;
    private double excessLeakage;
    private bool outputOn;
    private bool tripped;

    public SimulatedHvSupply(HvConfig config, IClock clock)
    {
        Config = config;
        this.clock = clock;
        lastUpdate = clock.UtcNow;
        setPoint = config.InitialVoltageV;
        tripLimit = config.TripCurrentA;
        outputOn = config.InitialOutputOn;
        voltage = outputOn ? setPoint : 0;
    }

    public HvConfig Config { get; }

    public double SetPointV { get { lock (gate) return setPoint; } }
    public double TripLimitA { get { lock (gate) return tripLimit; } }
    public bool OutputOn { get { lock (gate) { Advance(); return outputOn; } } }
    public bool Tripped { get { lock (gate) { Advance(); return tripped; } } }

    public double MeasuredVoltageV { get { lock (gate) { Advance(); return voltage; } } }
    public double LeakageCurrentA { get { lock (gate) { Advance(); return Leakage(); } } }

    public void SetVoltage(double volts)
    {
        if (Math.Abs(volts) > Config.MaxVoltageV)
            throw new ArgumentOutOfRangeException(nameof(volts), volts, $"the supply delivers ±{Config.MaxVoltageV} V");
        lock (gate) { Advance(); setPoint = volts; }
    }

    public void SetTripLimit(double amperes)
    {
        if (!(amperes > 0) || amperes > Config.MaxTripCurrentA)
            throw new ArgumentOutOfRangeException(nameof(amperes), amperes, $"the trip limit is in (0, {Config.MaxTripCurrentA}] A");
        lock (gate) { Advance(); tripLimit = amperes; }
    }

    /// <summary>Switching on a tripped supply is refused until the trip is reset.</summary>
    public bool TrySetOutput(bool on)
    {
        lock (gate)
        {
            Advance();
            if (on && tripped)
                return false;
            outputOn = on;
            Advance();
            return true;
        }
    }

    /// <summary>Clears the trip latch; the output stays off until switched on again.</summary>
    public void ResetTrip()
    {
        lock (gate) { Advance(); tripped = false; }
    }

    /// <summary>Fault injection: extra leakage current on top of the bulk leakage (0 removes it).</summary>
    public void InjectLeakage(double amperes)
    {
        lock (gate) { Advance(); excessLeakage = amperes; Advance(); }
    }

    public void Reset()
    {
        lock (gate)
        {
            Advance();
            outputOn = false;
            setPoint = 0;
            tripLimit = Config.TripCurrentA;
        }
    }

    private double Leakage() => Math.Abs(voltage) / Config.LeakageResistanceOhm + (Math.Abs(voltage) > 0 ? excessLeakage : 0);

    private void Advance()
    {
        var now = clock.UtcNow;
        double dt = Math.Max(0, (now - lastUpdate).TotalSeconds);
        lastUpdate = now;
        double target = outputOn ? setPoint : 0;
        double step = Config.RampRateVPerS * dt;
        voltage = Math.Abs(target - voltage) <= step ? target : voltage + Math.Sign(target - voltage) * step;
        if (outputOn && Leakage() > tripLimit)
        {
            // A trip discharges the output at once: the supply's crowbar, not a ramp.
            tripped = true;
            outputOn = false;
            voltage = 0;
        }
    }
}
