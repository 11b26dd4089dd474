using BeamDAQ.Control.SlowControl.Calibration;
using BeamDAQ.Control.SlowControl.Polling;
using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.SlowControl.Clients;

/// <summary>
/// The magnet power supply over SCPI, and the beam energy its current selects. Polled quantities:
/// current, voltage, set_current (A, V, A), output (0/1), field (T) and energy (MeV, kinetic) through the
/// B(I) calibration.
/// </summary>
public sealed class MagnetSupplyClient(LineClient line, BeamEnergyCalibration energy, IClock clock) : IPolledDevice, IAsyncDisposable
{
    public ScpiClient Scpi { get; } = new(line);
    public BeamEnergyCalibration Energy { get; } = energy;
    public string Name => line.Device;

    public Task<DeviceResult<string>> IdentifyAsync(CancellationToken ct = default) => Scpi.IdentifyAsync(ct);

    public Task<DeviceResult<Done>> SetCurrentAsync(double amperes, CancellationToken ct = default) =>
        Scpi.CommandAsync("SOUR:CURR " + Wire.Number(amperes), ct);

    public Task<DeviceResult<double>> GetSetCurrentAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("SOUR:CURR?", ct);
    public Task<DeviceResult<double>> MeasureCurrentAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("MEAS:CURR?", ct);
    public Task<DeviceResult<double>> MeasureVoltageAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("MEAS:VOLT?", ct);

    public Task<DeviceResult<Done>> SetVoltageLimitAsync(double volts, CancellationToken ct = default) =>
        Scpi.CommandAsync("SOUR:VOLT " + Wire.Number(volts), ct);

    public Task<DeviceResult<Done>> SetOutputAsync(bool on, CancellationToken ct = default) =>
        Scpi.CommandAsync(on ? "OUTP ON" : "OUTP OFF", ct);

    public Task<DeviceResult<bool>> GetOutputAsync(CancellationToken ct = default) => Scpi.QueryBooleanAsync("OUTP?", ct);

    /// <summary>Sets the current that selects electrons of <paramref name="kineticMeV"/> through the calibration.</summary>
    public Task<DeviceResult<Done>> SelectEnergyAsync(double kineticMeV, CancellationToken ct = default)
    {
        double current = Energy.CurrentForKineticEnergy(kineticMeV);
        if (double.IsNaN(current))
            return Task.FromResult(DeviceResult<Done>.Rejected(
                $"{Name}: {kineticMeV} MeV is beyond the calibration's reach (at most {Energy.KineticEnergyMeV(Energy.Field.MonotonicUpToA):0.##} MeV)"));
        return SetCurrentAsync(current, ct);
    }

    public async Task<DevicePoll> PollAsync(CancellationToken cancellationToken)
    {
        var c = new ReadingCollector(Name, clock);
        var current = await MeasureCurrentAsync(cancellationToken).ConfigureAwait(false);
        if (!c.Add(current, "current", "A"))
            return c.Result();
        if (current.IsOk)
        {
            c.AddDerived("field", Energy.Field.FieldT(current.Value), "T");
            c.AddDerived("energy", Energy.KineticEnergyMeV(current.Value), "MeV");
        }
        if (!c.Add(await MeasureVoltageAsync(cancellationToken).ConfigureAwait(false), "voltage", "V"))
            return c.Result();
        if (!c.Add(await GetSetCurrentAsync(cancellationToken).ConfigureAwait(false), "set_current", "A"))
            return c.Result();
        c.Add(await GetOutputAsync(cancellationToken).ConfigureAwait(false), "output");
        return c.Result();
    }

    public ValueTask DisposeAsync() => line.DisposeAsync();
}
