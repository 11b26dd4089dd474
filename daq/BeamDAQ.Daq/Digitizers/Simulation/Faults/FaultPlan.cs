using System.Globalization;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Digitizers.Simulation.Faults;

/// <summary>A malformed fault specification; exit code 2 like any other bad usage.</summary>
public sealed class FaultSpecException(string spec, string detail)
    : UsageException($"fault specification '{spec}': {detail}")
{
    public string Spec { get; } = spec;
    /// <summary>What is wrong, without the specification (for messages that name their own source).</summary>
    public string Detail { get; } = detail;
}

/// <summary>
/// The faults to inject, parsed from <c>--fault SPEC</c> or <c>simulator.faults</c>: comma-separated items
/// <c>remove@K:T</c>, <c>missing@K[xN]</c>, <c>slow@K[xN]:T</c>, <c>storm@K[xR]:T</c> with K, N positive integers,
/// R a rate in Hz and T a duration with unit (<c>ms</c>, <c>s</c> or <c>min</c>), e.g.
/// <c>remove@100:2s,missing@200x3,slow@50:300ms,storm@300:5s</c>.
/// </summary>
public sealed class FaultPlan
{
    public const string Syntax = "comma-separated items remove@K:T, missing@K[xN], slow@K[xN]:T, storm@K[xR]:T (K, N ≥ 1; R spurious triggers per second, default 100; T with unit ms, s or min), e.g. remove@100:2s,missing@200x3,slow@50:300ms,storm@300:5s";

    /// <summary>Fastest trigger storm: one spurious trigger per 10 µs, far beyond what the HS4 can re-arm for.</summary>
    public const int MaxStormRateHz = 100_000;

    public static FaultPlan None { get; } = new([]);

    public FaultPlan(IReadOnlyList<FaultSpec> faults) => Faults = faults;

    public IReadOnlyList<FaultSpec> Faults { get; }

    public bool IsEmpty => Faults.Count == 0;

    public override string ToString() => string.Join(",", Faults.Select(f => f.ToSpec()));

    /// <summary>Parses a specification; null or blank is no faults.</summary>
    /// <exception cref="FaultSpecException">The specification is malformed; the message names the item and the syntax.</exception>
    public static FaultPlan Parse(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return None;
        var items = spec.Split(',');
        var faults = new List<FaultSpec>(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            var item = items[i].Trim();
            string where = items.Length == 1 ? $"'{item}'" : $"item {i + 1} '{item}'";
            if (item.Length == 0) throw new FaultSpecException(spec, $"item {i + 1} is empty; expected {Syntax}");
            faults.Add(ParseItem(spec, item, where));
        }
        var removals = faults.OfType<DeviceRemovalFault>().GroupBy(f => f.AtEvent).FirstOrDefault(g => g.Count() > 1);
        if (removals is not null)
            throw new FaultSpecException(spec, $"two removals at event {removals.Key}; each event can drop the device once");
        return new FaultPlan(faults);
    }

    private static FaultSpec ParseItem(string spec, string item, string where)
    {
        int at = item.IndexOf('@');
        if (at <= 0) throw new FaultSpecException(spec, $"{where} has no kind@event; expected {Syntax}");
        string kind = item[..at].ToLowerInvariant();
        string rest = item[(at + 1)..];
        string? durationText = null;
        int colon = rest.IndexOf(':');
        if (colon >= 0)
        {
            durationText = rest[(colon + 1)..];
            rest = rest[..colon];
        }
        string? countText = null;
        int x = rest.IndexOfAny(['x', 'X']);
        if (x >= 0)
        {
            countText = rest[(x + 1)..];
            rest = rest[..x];
        }
        int atEvent = ParsePositive(spec, rest, where, "event number K");
        int count = countText is null ? 1 : ParsePositive(spec, countText, where, "count N");

        switch (kind)
        {
            case "remove":
                if (countText is not null) throw new FaultSpecException(spec, $"{where}: a removal has no count (remove@K:T, e.g. remove@100:2s)");
                if (durationText is null) throw new FaultSpecException(spec, $"{where}: a removal needs a duration (remove@K:T, e.g. remove@100:2s)");
                return new DeviceRemovalFault(atEvent, ParseDuration(spec, durationText, where));
            case "missing":
                if (durationText is not null) throw new FaultSpecException(spec, $"{where}: missing triggers take a count, not a duration (missing@K[xN], e.g. missing@200x3)");
                return new MissingTriggerFault(atEvent, count);
            case "slow":
                if (durationText is null) throw new FaultSpecException(spec, $"{where}: a slow read needs the extra latency (slow@K[xN]:T, e.g. slow@50:300ms)");
                return new SlowReadFault(atEvent, count, ParseDuration(spec, durationText, where));
            case "storm":
                if (durationText is null) throw new FaultSpecException(spec, $"{where}: a trigger storm needs its duration (storm@K[xR]:T, e.g. storm@300:5s)");
                if (count > MaxStormRateHz) throw new FaultSpecException(spec, $"{where}: storm rate {count} Hz is above the allowed {MaxStormRateHz} Hz");
                return new TriggerStormFault(atEvent, countText is null ? TriggerStormFault.DefaultRateHz : count, ParseDuration(spec, durationText, where));
            default:
                throw new FaultSpecException(spec, $"{where}: unknown fault '{kind}'; allowed: remove, missing, slow, storm ({Syntax})");
        }
    }

    private static int ParsePositive(string spec, string text, string where, string what)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
            throw new FaultSpecException(spec, $"{where}: {what} '{text}' is not a whole number ≥ 1");
        return value;
    }

    /// <summary>A duration with a unit: <c>300ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1min</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        (string unit, double scale) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? ("ms", 1e-3)
            : text.EndsWith("min", StringComparison.OrdinalIgnoreCase) ? ("min", 60.0)
            : text.EndsWith('s') || text.EndsWith('S') ? ("s", 1.0)
            : ("", 0);
        if (unit.Length == 0) return false;
        var number = text[..^unit.Length];
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value < 0 || value * scale > TimeSpan.MaxValue.TotalSeconds / 2)
            return false;
        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    private static TimeSpan ParseDuration(string spec, string text, string where)
    {
        if (!TryParseDuration(text, out var duration))
            throw new FaultSpecException(spec, $"{where}: duration '{text}' is not a number with a unit ms, s or min (e.g. 300ms, 2s)");
        return duration;
    }
}
