using System.Globalization;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Alarms.Rules;

public enum TemperatureTrend
{
    Rising,
    Falling,
}

/// <summary>
/// Temperature changing too fast: a rise (or fall) of more than <c>limitK</c> within <c>window</c>, e.g. a
/// drop of more than 1 K within 2 s when coolant starts to flow or a heater fails. Compares each reading with
/// every reading of the same channel at most one window older. Clears once the change within the window is
/// back below <c>clearFraction</c>·limit — after a step, one window later.
/// </summary>
public sealed class TemperatureRateRule : IAlarmRule
{
    private readonly double limitK;
    private readonly TimeSpan window;
    private readonly TemperatureTrend trend;
    private readonly double clearFraction;
    private readonly Dictionary<string, Queue<(DateTimeOffset Time, double Value)>> history = [];
    private readonly HashSet<string> active = [];

    public TemperatureRateRule(double limitK, TimeSpan window, TemperatureTrend trend, double clearFraction = 0.8)
    {
        if (!(limitK > 0)) throw new ArgumentOutOfRangeException(nameof(limitK), limitK, "the limit must be > 0 K");
        if (window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), window, "the window must be positive");
        this.limitK = limitK;
        this.window = window;
        this.trend = trend;
        this.clearFraction = clearFraction;
    }

    public string Code => trend == TemperatureTrend.Rising ? AlarmCodes.TemperatureRisingFast : AlarmCodes.TemperatureFallingFast;

    public void Evaluate(AlarmInput input, ICollection<AlarmCondition> verdicts)
    {
        if (input is not ReadingInput { Reading: var r } || !TemperatureReadings.TryChannel(r, out string channel) || double.IsNaN(r.Value))
            return;
        string source = TemperatureReadings.Source(r, channel);
        if (!history.TryGetValue(source, out var samples))
            history[source] = samples = new Queue<(DateTimeOffset, double)>();
        while (samples.Count > 0 && r.Time - samples.Peek().Time > window)
            samples.Dequeue();

        // The largest change towards the watched direction from any reading within the window.
        double change = 0;
        foreach (var (_, value) in samples)
            change = Math.Max(change, trend == TemperatureTrend.Rising ? r.Value - value : value - r.Value);
        samples.Enqueue((r.Time, r.Value));

        bool wasActive = active.Contains(source);
        bool isActive = wasActive ? change > clearFraction * limitK : change > limitK;
        if (isActive) active.Add(source); else active.Remove(source);

        string verb = trend == TemperatureTrend.Rising ? "rose" : "fell";
        string message = $"{channel} temperature {verb} by {K(change)} K within {window.TotalSeconds:0.##} s (limit {K(limitK)} K), now {K(r.Value)} °C";
        verdicts.Add(new AlarmCondition(Code, source, isActive, AlarmSeverity.Warning, message));
    }

    private static string K(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);
}
