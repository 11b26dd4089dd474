using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.SlowControl.Calibration;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// NTC thermistors on the detector, the magnet coil, the HV supply and the hall. Each channel's true
/// temperature drifts slowly (a sinusoid of configured amplitude and period, as day/night or cooling cycles
/// do) plus injected faults; the readout returns the sensor's resistance on its Steinhart–Hart curve with a
/// little Gaussian noise from the injected random source.
/// </summary>
public sealed class SimulatedThermistorBank
{
    private readonly object gate = new();
    private readonly IClock clock;
    private readonly Random random;
    private readonly DateTimeOffset origin;
    private readonly List<TemperatureFault>[] faults;

    public SimulatedThermistorBank(TemperaturesConfig config, IClock clock, Random random)
    {
        Config = config;
        this.clock = clock;
        this.random = random;
        origin = clock.UtcNow;
        Sensor = NtcConversions.SensorCurve(config.Thermistor);
        faults = config.Channels.Select(_ => new List<TemperatureFault>()).ToArray();
    }

    public TemperaturesConfig Config { get; }
    public SteinhartHartNtc Sensor { get; }
    public int ChannelCount => Config.Channels.Count;

    /// <summary>Channel names; channel numbers on the wire are 1-based indices into this list.</summary>
    public IReadOnlyList<string> ChannelNames => Config.Channels.Select(c => c.Name).ToList();

    /// <summary>The noiseless temperature of a channel (0-based) now.</summary>
    public double TrueTemperatureC(int channel)
    {
        lock (gate)
            return TrueTemperatureAt(channel, clock.UtcNow);
    }

    /// <summary>What the readout measures: the resistance at the true temperature plus read noise.</summary>
    public double MeasureResistanceOhm(int channel)
    {
        lock (gate)
        {
            double t = TrueTemperatureAt(channel, clock.UtcNow) + Config.NoiseK * NextGaussian();
            return Sensor.ResistanceOhm(t);
        }
    }

    /// <summary>A step of <paramref name="deltaK"/> from now on.</summary>
    public void InjectStep(int channel, double deltaK) => AddFault(channel, new TemperatureFault(clock.UtcNow, deltaK, 0, TimeSpan.Zero));

    /// <summary>A ramp of <paramref name="kelvinPerSecond"/> from now for <paramref name="duration"/>.</summary>
    public void InjectRamp(int channel, double kelvinPerSecond, TimeSpan duration) =>
        AddFault(channel, new TemperatureFault(clock.UtcNow, 0, kelvinPerSecond, duration));

    public void ClearFaults()
    {
        lock (gate)
            foreach (var list in faults)
                list.Clear();
    }

    private void AddFault(int channel, TemperatureFault fault)
    {
        CheckChannel(channel);
        lock (gate)
            faults[channel].Add(fault);
    }

    private double TrueTemperatureAt(int channel, DateTimeOffset now)
    {
        CheckChannel(channel);
        var c = Config.Channels[channel];
        double elapsed = (now - origin).TotalSeconds;
        // Each channel starts at its own phase so the drifts are not in lockstep.
        double phase = 2 * Math.PI * channel / Config.Channels.Count;
        double drift = c.DriftAmplitudeK * Math.Sin(2 * Math.PI * elapsed / c.DriftPeriodS + phase);
        return c.BaseC + drift + faults[channel].Sum(f => f.OffsetAt(now));
    }

    private void CheckChannel(int channel)
    {
        if (channel < 0 || channel >= Config.Channels.Count)
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"channels are 0–{Config.Channels.Count - 1}");
    }

    private double NextGaussian()
    {
        // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
