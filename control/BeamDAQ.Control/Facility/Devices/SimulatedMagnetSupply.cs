using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// The dipole's power supply: a current source into the coil's resistance, limited to max_current_a and a
/// settable voltage limit (≤ max_voltage_v). Because the coil is inductive the current ramps at a finite
/// rate towards the set point; state is advanced lazily from the injected clock on every access.
/// </summary>
public sealed class SimulatedMagnetSupply
{
    private readonly object gate = new();
    private readonly IClock clock;
    private DateTimeOffset lastUpdate;
    private double current;
    private double setPoint;
    private double voltageLimit;
    private bool outputOn;

    public SimulatedMagnetSupply(MagnetConfig config, IClock clock)
    {
        Config = config;
        this.clock = clock;
        lastUpdate = clock.UtcNow;
        voltageLimit = config.MaxVoltageV;
        setPoint = config.DefaultCurrentA;
        outputOn = config.InitialOutputOn;
        // Start settled: the facility was left running at the default energy.
        current = outputOn ? Target() : 0;
    }

    public MagnetConfig Config { get; }

    public double SetPointA { get { lock (gate) return setPoint; } }
    public double VoltageLimitV { get { lock (gate) return voltageLimit; } }
    public bool OutputOn { get { lock (gate) return outputOn; } }

    /// <summary>The coil current now (ramping towards the set point while the output is on, towards 0 when off).</summary>
    public double MeasuredCurrentA
    {
        get { lock (gate) { Advance(); return current; } }
    }

    public double MeasuredVoltageV
    {
        get { lock (gate) { Advance(); return current * Config.CoilResistanceOhm; } }
    }

    /// <summary>True while the current has not reached its target.</summary>
    public bool Ramping
    {
        get { lock (gate) { Advance(); return Math.Abs(current - Target()) > 1e-9; } }
    }

    public void SetCurrent(double amperes)
    {
        if (amperes < 0 || amperes > Config.MaxCurrentA)
            throw new ArgumentOutOfRangeException(nameof(amperes), amperes, $"the supply delivers 0–{Config.MaxCurrentA} A");
        lock (gate) { Advance(); setPoint = amperes; }
    }

    public void SetVoltageLimit(double volts)
    {
        if (volts < 0 || volts > Config.MaxVoltageV)
            throw new ArgumentOutOfRangeException(nameof(volts), volts, $"the supply delivers 0–{Config.MaxVoltageV} V");
        lock (gate) { Advance(); voltageLimit = volts; }
    }

    public void SetOutput(bool on)
    {
        lock (gate) { Advance(); outputOn = on; }
    }

    /// <summary>*RST: output off, set point 0, voltage limit at maximum; the coil current ramps down.</summary>
    public void Reset()
    {
        lock (gate)
        {
            Advance();
            outputOn = false;
            setPoint = 0;
            voltageLimit = Config.MaxVoltageV;
        }
    }

    // Constant-voltage mode: a set point needing more than the voltage limit is capped at V_lim / R.
    private double Target() => outputOn ? Math.Min(setPoint, voltageLimit / Config.CoilResistanceOhm) : 0.0;

    private void Advance()
    {
        var now = clock.UtcNow;
        double dt = (now - lastUpdate).TotalSeconds;
        lastUpdate = now;
        if (dt <= 0)
            return;
        double target = Target();
        double step = Config.RampRateAPerS * dt;
        current = Math.Abs(target - current) <= step ? target : current + Math.Sign(target - current) * step;
    }
}
