using BeamDAQ.Control.Facility;
using BeamDAQ.Control.SlowControl.Polling;
using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.SlowControl.Clients;

/// <summary>Whether a collimator's jaws are still travelling or have settled.</summary>
public enum CollimatorMotion
{
    Moving,
    Settled,
}

/// <summary>
/// The collimator master's COLL protocol (every command answers a value, OK or "ERR code text"). Polled
/// quantities per collimator (prefix "entrance." / "exit."): aperture_x, aperture_y, centre_x, centre_y,
/// left, right, top, bottom (mm) and moving (0/1).
/// </summary>
public sealed class CollimatorClient(LineClient line, IClock clock) : IPolledDevice, IAsyncDisposable
{
    public LineClient Line { get; } = line;
    public string Name => Line.Device;

    public Task<DeviceResult<string>> IdentifyAsync(CancellationToken ct = default) => Line.QueryAsync("*IDN?", ct);

    public Task<DeviceResult<Done>> SetApertureAsync(CollimatorId id, double apertureXMm, double apertureYMm, CancellationToken ct = default) =>
        CommandAsync($"COLL {Keyword(id)} APERTURE {Wire.Number(apertureXMm)} {Wire.Number(apertureYMm)}", ct);

    public Task<DeviceResult<Done>> SetApertureAsync(CollimatorId id, double apertureXMm, double apertureYMm,
        double centreXMm, double centreYMm, CancellationToken ct = default) =>
        CommandAsync($"COLL {Keyword(id)} APERTURE {Wire.Number(apertureXMm)} {Wire.Number(apertureYMm)} {Wire.Number(centreXMm)} {Wire.Number(centreYMm)}", ct);

    public Task<DeviceResult<Done>> SetPositionsAsync(CollimatorId id, JawPositions p, CancellationToken ct = default) =>
        CommandAsync($"COLL {Keyword(id)} POS {Wire.Number(p.Left)} {Wire.Number(p.Right)} {Wire.Number(p.Top)} {Wire.Number(p.Bottom)}", ct);

    public Task<DeviceResult<Done>> SetJawAsync(CollimatorId id, JawId jaw, double positionMm, CancellationToken ct = default) =>
        CommandAsync($"COLL {Keyword(id)} JAW {jaw.ToString().ToUpperInvariant()} {Wire.Number(positionMm)}", ct);

    public Task<DeviceResult<Done>> StopAsync(CollimatorId id, CancellationToken ct = default) =>
        CommandAsync($"COLL {Keyword(id)} STOP", ct);

    /// <summary>Read-back jaw positions.</summary>
    public Task<DeviceResult<JawPositions>> GetPositionsAsync(CollimatorId id, CancellationToken ct = default) =>
        FourAsync($"COLL {Keyword(id)} POS?", ct);

    /// <summary>Commanded jaw positions.</summary>
    public Task<DeviceResult<JawPositions>> GetTargetsAsync(CollimatorId id, CancellationToken ct = default) =>
        FourAsync($"COLL {Keyword(id)} TARGET?", ct);

    public async Task<DeviceResult<(double X, double Y)>> GetApertureAsync(CollimatorId id, CancellationToken ct = default)
    {
        var reply = await ValuesAsync($"COLL {Keyword(id)} APERTURE?", 2, ct).ConfigureAwait(false);
        return reply.Then(v => DeviceResult<(double, double)>.Ok((v[0], v[1])));
    }

    public async Task<DeviceResult<CollimatorMotion>> GetMotionAsync(CollimatorId id, CancellationToken ct = default)
    {
        string query = $"COLL {Keyword(id)} STATE?";
        var reply = await ReplyAsync(query, ct).ConfigureAwait(false);
        return reply.Then(text => text.Trim().ToUpperInvariant() switch
        {
            "MOVING" => DeviceResult<CollimatorMotion>.Ok(CollimatorMotion.Moving),
            "SETTLED" => DeviceResult<CollimatorMotion>.Ok(CollimatorMotion.Settled),
            _ => DeviceResult<CollimatorMotion>.Rejected($"{Name}: '{query}' answered '{text}', not MOVING|SETTLED"),
        });
    }

    public async Task<DevicePoll> PollAsync(CancellationToken cancellationToken)
    {
        var c = new ReadingCollector(Name, clock);
        foreach (var id in Enum.GetValues<CollimatorId>())
        {
            string prefix = Keyword(id).ToLowerInvariant() + ".";
            var positions = await GetPositionsAsync(id, cancellationToken).ConfigureAwait(false);
            if (!c.Add(positions, prefix + "aperture_x", "mm", p => p.ApertureX))
                return c.Result();
            if (positions.IsOk)
            {
                var p = positions.Value;
                c.AddDerived(prefix + "aperture_y", p.ApertureY, "mm");
                c.AddDerived(prefix + "centre_x", p.CentreX, "mm");
                c.AddDerived(prefix + "centre_y", p.CentreY, "mm");
                foreach (var jaw in Enum.GetValues<JawId>())
                    c.AddDerived(prefix + jaw.ToString().ToLowerInvariant(), p[jaw], "mm");
            }
            if (!c.Add(await GetMotionAsync(id, cancellationToken).ConfigureAwait(false), prefix + "moving", "",
                    m => m == CollimatorMotion.Moving ? 1.0 : 0.0))
                return c.Result();
        }
        return c.Result();
    }

    private async Task<DeviceResult<Done>> CommandAsync(string command, CancellationToken ct)
    {
        var reply = await ReplyAsync(command, ct).ConfigureAwait(false);
        return reply.Then(text => text.Trim() == "OK"
            ? DeviceResult<Done>.Ok(Done.Value)
            : DeviceResult<Done>.Rejected($"{Name}: '{command}' answered '{text}'"));
    }

    /// <summary>A reply line, with an "ERR code text" reply turned into a rejection.</summary>
    private async Task<DeviceResult<string>> ReplyAsync(string command, CancellationToken ct)
    {
        var reply = await Line.QueryAsync(command, ct).ConfigureAwait(false);
        return reply.Then(text => text.StartsWith("ERR ", StringComparison.Ordinal)
            ? DeviceResult<string>.Rejected($"{Name}: '{command}' refused: {text}")
            : DeviceResult<string>.Ok(text));
    }

    private async Task<DeviceResult<double[]>> ValuesAsync(string query, int count, CancellationToken ct)
    {
        var reply = await ReplyAsync(query, ct).ConfigureAwait(false);
        return reply.Then(text =>
        {
            string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = new double[count];
            if (parts.Length != count)
                return DeviceResult<double[]>.Rejected($"{Name}: '{query}' answered '{text}', expected {count} numbers");
            for (int i = 0; i < count; i++)
                if (!Wire.TryNumber(parts[i], out values[i]))
                    return DeviceResult<double[]>.Rejected($"{Name}: '{query}' answered '{text}', '{parts[i]}' is not a number");
            return DeviceResult<double[]>.Ok(values);
        });
    }

    private async Task<DeviceResult<JawPositions>> FourAsync(string query, CancellationToken ct)
    {
        var values = await ValuesAsync(query, 4, ct).ConfigureAwait(false);
        return values.Then(v => DeviceResult<JawPositions>.Ok(new JawPositions(v[0], v[1], v[2], v[3])));
    }

    private static string Keyword(CollimatorId id) => id == CollimatorId.Entrance ? "ENTRANCE" : "EXIT";

    public ValueTask DisposeAsync() => Line.DisposeAsync();
}
