using BeamDAQ.Control.SlowControl.Polling;
using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.SlowControl.Clients;

/// <summary>
/// The detector HV supply over SCPI. Polled quantities: voltage (V), current (leakage, A), set_voltage (V),
/// output (0/1), tripped (0/1 — the HV-trip alarm watches it).
/// </summary>
public sealed class HvSupplyClient(LineClient line, IClock clock) : IPolledDevice, IAsyncDisposable
{
    public const string TrippedQuantity = "tripped";

    public ScpiClient Scpi { get; } = new(line);
    public string Name => line.Device;

    public Task<DeviceResult<string>> IdentifyAsync(CancellationToken ct = default) => Scpi.IdentifyAsync(ct);

    public Task<DeviceResult<Done>> SetVoltageAsync(double volts, CancellationToken ct = default) =>
        Scpi.CommandAsync("VOLT " + Wire.Number(volts), ct);

    public Task<DeviceResult<double>> GetSetVoltageAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("VOLT?", ct);
    public Task<DeviceResult<double>> MeasureVoltageAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("MEAS:VOLT?", ct);
    public Task<DeviceResult<double>> MeasureCurrentAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("MEAS:CURR?", ct);

    public Task<DeviceResult<Done>> SetOutputAsync(bool on, CancellationToken ct = default) =>
        Scpi.CommandAsync(on ? "OUTP ON" : "OUTP OFF", ct);

    public Task<DeviceResult<bool>> GetOutputAsync(CancellationToken ct = default) => Scpi.QueryBooleanAsync("OUTP?", ct);

    public Task<DeviceResult<Done>> SetTripLimitAsync(double amperes, CancellationToken ct = default) =>
        Scpi.CommandAsync("CURR:LIM " + Wire.Number(amperes), ct);

    public Task<DeviceResult<double>> GetTripLimitAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("CURR:LIM?", ct);
    public Task<DeviceResult<bool>> IsTrippedAsync(CancellationToken ct = default) => Scpi.QueryBooleanAsync("TRIP?", ct);
    public Task<DeviceResult<Done>> ResetTripAsync(CancellationToken ct = default) => Scpi.CommandAsync("TRIP:RES", ct);

    public async Task<DevicePoll> PollAsync(CancellationToken cancellationToken)
    {
        var c = new ReadingCollector(Name, clock);
        _ = c.Add(await MeasureVoltageAsync(cancellationToken).ConfigureAwait(false), "voltage", "V")
            && c.Add(await MeasureCurrentAsync(cancellationToken).ConfigureAwait(false), "current", "A")
            && c.Add(await GetSetVoltageAsync(cancellationToken).ConfigureAwait(false), "set_voltage", "V")
            && c.Add(await GetOutputAsync(cancellationToken).ConfigureAwait(false), "output")
            && c.Add(await IsTrippedAsync(cancellationToken).ConfigureAwait(false), TrippedQuantity);
        return c.Result();
    }

    public ValueTask DisposeAsync() => line.DisposeAsync();
}
