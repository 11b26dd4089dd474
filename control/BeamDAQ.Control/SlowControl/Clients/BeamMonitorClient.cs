using BeamDAQ.Control.SlowControl.Polling;
using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.SlowControl.Clients;

/// <summary>
/// The beam port over SCPI. Polled quantities: lambda (mean electrons per bunch), energy (selected kinetic
/// energy, MeV), on (0/1).
/// </summary>
public sealed class BeamMonitorClient(LineClient line, IClock clock) : IPolledDevice, IAsyncDisposable
{
    public ScpiClient Scpi { get; } = new(line);
    public string Name => line.Device;

    public Task<DeviceResult<string>> IdentifyAsync(CancellationToken ct = default) => Scpi.IdentifyAsync(ct);
    public Task<DeviceResult<double>> GetLambdaAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("BEAM:LAMBDA?", ct);
    public Task<DeviceResult<double>> GetEnergyAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("BEAM:ENER?", ct);
    public Task<DeviceResult<double>> GetBunchRateAsync(CancellationToken ct = default) => Scpi.QueryNumberAsync("BEAM:RATE?", ct);
    public Task<DeviceResult<bool>> GetBeamOnAsync(CancellationToken ct = default) => Scpi.QueryBooleanAsync("BEAM?", ct);

    public Task<DeviceResult<Done>> SetBeamOnAsync(bool on, CancellationToken ct = default) =>
        Scpi.CommandAsync(on ? "BEAM ON" : "BEAM OFF", ct);

    public async Task<DevicePoll> PollAsync(CancellationToken cancellationToken)
    {
        var c = new ReadingCollector(Name, clock);
        _ = c.Add(await GetLambdaAsync(cancellationToken).ConfigureAwait(false), "lambda", "")
            && c.Add(await GetEnergyAsync(cancellationToken).ConfigureAwait(false), "energy", "MeV")
            && c.Add(await GetBeamOnAsync(cancellationToken).ConfigureAwait(false), "on");
        return c.Result();
    }

    public ValueTask DisposeAsync() => line.DisposeAsync();
}
