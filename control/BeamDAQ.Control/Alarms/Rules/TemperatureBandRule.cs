using System.Globalization;
using BeamDAQ.Control.SlowControl;
using BeamDAQ.Control.SlowControl.Clients;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Alarms.Rules;

/// <summary>
/// Temperature outside its band [low, high]. Raised as soon as a reading leaves the band; cleared only when a
/// reading is back inside by the hysteresis, so a value sitting on the edge does not raise and clear every
/// sample. A NaN temperature (open or shorted sensor) counts as out of band.
/// </summary>
public sealed class TemperatureBandRule(Func<string, (double Low, double High)> bandOf, double hysteresisK) : IAlarmRule
{
    private readonly HashSet<string> active = [];

    public void Evaluate(AlarmInput input, ICollection<AlarmCondition> verdicts)
    {
        if (input is not ReadingInput { Reading: var r } || !TemperatureReadings.TryChannel(r, out string channel))
            return;
        var (low, high) = bandOf(channel);
        string source = TemperatureReadings.Source(r, channel);
        bool wasActive = active.Contains(source);
        bool outside = double.IsNaN(r.Value) || r.Value < low || r.Value > high;
        bool wellInside = r.Value >= low + hysteresisK && r.Value <= high - hysteresisK;
        bool isActive = wasActive ? !wellInside : outside;
        if (isActive) active.Add(source); else active.Remove(source);

        string message = double.IsNaN(r.Value)
            ? $"{channel} temperature unreadable (sensor open or shorted)"
            : r.Value < low
                ? $"{channel} temperature {C(r.Value)} °C below {C(low)} °C"
                : r.Value > high
                    ? $"{channel} temperature {C(r.Value)} °C above {C(high)} °C"
                    : $"{channel} temperature {C(r.Value)} °C within [{C(low)}, {C(high)}] °C";
        verdicts.Add(new AlarmCondition(AlarmCodes.TemperatureOutOfBand, source, isActive, AlarmSeverity.Warning, message));
    }

    private static string C(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);
}

/// <summary>Recognises temperature readings (quantity "temperature.&lt;channel&gt;", unit degC).</summary>
internal static class TemperatureReadings
{
    public static bool TryChannel(SlowControlReading reading, out string channel)
    {
        channel = "";
        if (reading.Unit != ThermistorClient.TemperatureUnit || !reading.Quantity.StartsWith(ThermistorClient.TemperaturePrefix, StringComparison.Ordinal))
            return false;
        channel = reading.Quantity[ThermistorClient.TemperaturePrefix.Length..];
        return channel.Length > 0;
    }

    /// <summary>The alarm source of a channel: "temperatures/diamond".</summary>
    public static string Source(SlowControlReading reading, string channel) => reading.Device + "/" + channel;
}
