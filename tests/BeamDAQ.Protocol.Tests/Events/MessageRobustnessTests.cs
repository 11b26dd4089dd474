using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.Events;

/// <summary>
/// Every key of every typed message, removed or replaced by a value of every other type: <c>FromMap</c> either
/// accepts it or throws a <see cref="FormatException"/> that names the topic and the key — never a cast error.
/// </summary>
public sealed class MessageRobustnessTests
{
    private static readonly object?[] OddValues =
    [
        null, true, -1L, 0L, 1L << 40, ulong.MaxValue, 1.5, double.NaN, "text", new byte[] { 1 },
        new List<object?> { 1L }, new Dictionary<string, object?> { ["k"] = 1L }, DateTimeOffset.UnixEpoch,
        new MessagePackExtension(3, [1]),
    ];

    public static TheoryData<string> Topics => new() { "run.begin", "run.end", "daq.status", "alarm", "sc", "fit" };

    [Theory]
    [MemberData(nameof(Topics))]
    public void WhenAnyKeyIsMissingOrHasAnyOtherTypeThenFromMapOnlyRaisesAFormatErrorNamingTheKey(string topic)
    {
        var (map, fromMap) = Sample(topic);
        var failures = new List<string>();
        foreach (string key in map.Keys.ToList())
        {
            var variants = OddValues.Select(v => (Describe: $"{key} = {v ?? "nil"}", Map: With(map, key, v)))
                .Append(($"{key} removed", Without(map, key)));
            foreach (var (describe, variant) in variants)
            {
                try
                {
                    fromMap(variant);
                }
                catch (FormatException e) when (e.Message.StartsWith(topic, StringComparison.Ordinal) && e.Message.Contains($"'{key}'"))
                {
                }
                catch (Exception e)
                {
                    failures.Add($"{describe}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static (Dictionary<string, object?> Map, Action<IReadOnlyDictionary<string, object?>> FromMap) Sample(string topic) => topic switch
    {
        "run.begin" => (new RunBeginMessage
        {
            Run = 1, TimeNs = 2, Software = "s", Config = new Dictionary<string, object?>(),
            Applied = new Dictionary<string, object?>(), Meta = new Dictionary<string, object?>(),
        }.ToMap(), m => RunBeginMessage.FromMap(m)),
        "run.end" => (new RunEndMessage { Run = 1, TimeNs = 2, Events = 3, Missed = 4, Reason = "r" }.ToMap(), m => RunEndMessage.FromMap(m)),
        "daq.status" => (new DaqStatusMessage
        {
            State = "Running", Run = 1, TriggerRateHz = 2, Events = 3, Missed = 4, DeadTimeFraction = 0.1,
            BytesWritten = 5, DeviceState = "ok", Dropped = 0, TimeNs = 6,
        }.ToMap(), m => DaqStatusMessage.FromMap(m)),
        "alarm" => (new AlarmMessage { TimeNs = 1, Source = "s", Severity = AlarmSeverity.Warning, Code = "c", Message = "m" }.ToMap(), m => AlarmMessage.FromMap(m)),
        "sc" => (new SlowControlMessage { TimeNs = 1, Device = "d", Quantity = "q", Value = 2, Unit = "u" }.ToMap(), m => SlowControlMessage.FromMap(m)),
        "fit" => (new FitMessage
        {
            Run = 1, TimeNs = 2, Lambda = 3, LambdaError = 0.1, Converged = true, LambdaLow = 2.9, LambdaHigh = 3.1, Chi2 = 4,
            Ndf = 5, PValue = 0.5, Events = 6, LambdaZeroFraction = 3, LambdaMean = 3, Model = "landau", Software = "s",
            Parameters = new Dictionary<string, object?> { ["gain"] = 1.0 },
        }.ToMap(), m => FitMessage.FromMap(m)),
        _ => throw new ArgumentOutOfRangeException(nameof(topic)),
    };

    private static Dictionary<string, object?> With(Dictionary<string, object?> map, string key, object? value) => new(map) { [key] = value };

    private static Dictionary<string, object?> Without(Dictionary<string, object?> map, string key)
    {
        var copy = new Dictionary<string, object?>(map);
        copy.Remove(key);
        return copy;
    }
}
