using System.Globalization;
using BeamDAQ.Control.SlowControl.Calibration;
using BeamDAQ.Control.SlowControl.Polling;
using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.SlowControl.Clients;

/// <summary>
/// The NTC readout over SCPI: reads resistances and converts them with the configured conversion. Polled
/// quantities per channel: <c>temperature.&lt;name&gt;</c> (degC) and <c>resistance.&lt;name&gt;</c> (ohm),
/// with the channel names the device reports.
/// </summary>
public sealed class ThermistorClient(LineClient line, INtcConversion conversion, IClock clock) : IPolledDevice, IAsyncDisposable
{
    public const string TemperaturePrefix = "temperature.";
    public const string TemperatureUnit = "degC";

    private IReadOnlyList<string>? channelNames;

    public ScpiClient Scpi { get; } = new(line);
    public INtcConversion Conversion { get; } = conversion;
    public string Name => line.Device;

    public Task<DeviceResult<string>> IdentifyAsync(CancellationToken ct = default) => Scpi.IdentifyAsync(ct);

    /// <summary>Channel names by channel number − 1 (asked once, then cached).</summary>
    public async Task<DeviceResult<IReadOnlyList<string>>> GetChannelNamesAsync(CancellationToken ct = default)
    {
        if (channelNames is { } cached)
            return DeviceResult<IReadOnlyList<string>>.Ok(cached);
        var count = await Scpi.QueryNumberAsync("CHAN:COUN?", ct).ConfigureAwait(false);
        if (!count.IsOk)
            return count.Fail<IReadOnlyList<string>>();
        var names = new List<string>();
        for (int channel = 1; channel <= (int)count.Value; channel++)
        {
            var name = await Scpi.QueryAsync("CHAN:NAME? " + channel.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
            if (!name.IsOk)
                return name.Fail<IReadOnlyList<string>>();
            names.Add(name.Value.Trim());
        }
        channelNames = names;
        return DeviceResult<IReadOnlyList<string>>.Ok(names);
    }

    /// <summary>The resistance of channel <paramref name="channel"/> (from 1), Ω.</summary>
    public Task<DeviceResult<double>> ReadResistanceAsync(int channel, CancellationToken ct = default)
    {
        // An SCPI instrument answers a bad query with silence, which would look like a lost device: check first.
        if (channelNames is { } names && (channel < 1 || channel > names.Count))
            return Task.FromResult(DeviceResult<double>.Rejected($"{Name}: channel {channel} outside [1, {names.Count}]"));
        return Scpi.QueryNumberAsync("MEAS:RES? " + channel.ToString(CultureInfo.InvariantCulture), ct);
    }

    public async Task<DeviceResult<double>> ReadTemperatureAsync(int channel, CancellationToken ct = default)
    {
        var resistance = await ReadResistanceAsync(channel, ct).ConfigureAwait(false);
        return resistance.Then(ohm => DeviceResult<double>.Ok(Conversion.TemperatureC(ohm)));
    }

    public async Task<DevicePoll> PollAsync(CancellationToken cancellationToken)
    {
        var c = new ReadingCollector(Name, clock);
        var names = await GetChannelNamesAsync(cancellationToken).ConfigureAwait(false);
        if (names.IsLost)
            return DevicePoll.Lost(Name, names.Problem);
        if (!names.IsOk)
        {
            c.Problem(names.Problem);
            return c.Result();
        }
        for (int i = 0; i < names.Value.Count; i++)
        {
            var resistance = await ReadResistanceAsync(i + 1, cancellationToken).ConfigureAwait(false);
            if (!c.Add(resistance, "resistance." + names.Value[i], "ohm"))
                return c.Result();
            if (resistance.IsOk)
                c.AddDerived(TemperaturePrefix + names.Value[i], Conversion.TemperatureC(resistance.Value), TemperatureUnit);
        }
        return c.Result();
    }

    public ValueTask DisposeAsync() => line.DisposeAsync();
}
