using System.Globalization;
using BeamDAQ.Control.Facility.Scpi;

namespace BeamDAQ.Control.SlowControl.Transport;

/// <summary>
/// SCPI conventions over a <see cref="LineClient"/>: queries return a line; settings return nothing, so each
/// setting is followed by SYST:ERR? and a queued error turns into a <see cref="DeviceOutcome.Rejected"/> result
/// carrying the instrument's own message.
/// </summary>
public sealed class ScpiClient(LineClient line)
{
    public LineClient Line { get; } = line;

    public Task<DeviceResult<string>> QueryAsync(string query, CancellationToken cancellationToken = default) =>
        Line.QueryAsync(query, cancellationToken);

    public async Task<DeviceResult<double>> QueryNumberAsync(string query, CancellationToken cancellationToken = default)
    {
        var reply = await Line.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return reply.Then(text => ScpiNumber.TryParse(text.Trim(), out double value)
            ? DeviceResult<double>.Ok(value)
            : DeviceResult<double>.Rejected($"{Line.Device}: '{query}' answered '{text}', not a number"));
    }

    public async Task<DeviceResult<bool>> QueryBooleanAsync(string query, CancellationToken cancellationToken = default)
    {
        var reply = await Line.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return reply.Then(text => ScpiNumber.TryParseBoolean(text.Trim(), out bool value)
            ? DeviceResult<bool>.Ok(value)
            : DeviceResult<bool>.Rejected($"{Line.Device}: '{query}' answered '{text}', not 0|1"));
    }

    /// <summary>Sends a setting and confirms it through the error queue.</summary>
    public async Task<DeviceResult<Done>> CommandAsync(string command, CancellationToken cancellationToken = default)
    {
        var sent = await Line.SendAsync(command, cancellationToken).ConfigureAwait(false);
        if (!sent.IsOk)
            return sent;
        var error = await NextErrorAsync(cancellationToken).ConfigureAwait(false);
        if (!error.IsOk)
            return error.Fail<Done>();
        return error.Value.Code == ScpiError.NoError
            ? DeviceResult<Done>.Ok(Done.Value)
            : DeviceResult<Done>.Rejected($"{Line.Device}: '{command}' refused: {error.Value}");
    }

    /// <summary>SYST:ERR?: the oldest queued error, code 0 when none.</summary>
    public async Task<DeviceResult<ScpiErrorReply>> NextErrorAsync(CancellationToken cancellationToken = default)
    {
        var reply = await Line.QueryAsync("SYST:ERR?", cancellationToken).ConfigureAwait(false);
        return reply.Then(text => ScpiErrorReply.TryParse(text, out var error)
            ? DeviceResult<ScpiErrorReply>.Ok(error)
            : DeviceResult<ScpiErrorReply>.Rejected($"{Line.Device}: SYST:ERR? answered '{text}'"));
    }

    public Task<DeviceResult<string>> IdentifyAsync(CancellationToken cancellationToken = default) =>
        Line.QueryAsync("*IDN?", cancellationToken);
}

/// <summary>An SCPI error-queue entry: <c>-222,"Data out of range;current 60 A outside [0, 50] A"</c>.</summary>
public readonly record struct ScpiErrorReply(int Code, string Message)
{
    public static bool TryParse(string text, out ScpiErrorReply error)
    {
        error = default;
        int comma = text.IndexOf(',');
        if (comma < 0 || !int.TryParse(text.AsSpan(0, comma).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code))
            return false;
        error = new ScpiErrorReply(code, text[(comma + 1)..].Trim().Trim('"'));
        return true;
    }

    public override string ToString() => $"{Code},\"{Message}\"";
}
