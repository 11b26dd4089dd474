using System.Globalization;

namespace BeamDAQ.Daq.Digitizers.Simulation.Faults;

/// <summary>
/// One fault the simulator injects, keyed by event number: the trigger number (from 1) the device is about to
/// deliver, counted over the simulated device's life (a removal does not restart the count).
/// </summary>
public abstract record FaultSpec(int AtEvent)
{
    /// <summary>The item in <c>--fault</c> syntax.</summary>
    public abstract string ToSpec();

    public sealed override string ToString() => ToSpec();

    private protected static string FormatDuration(TimeSpan t) =>
        t.TotalMilliseconds % 1000 == 0
            ? ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}

/// <summary>
/// <c>remove@K:T</c> — when event K would trigger, the device drops off the bus: the open device reports
/// <see cref="WaitOutcome.DeviceRemoved"/> and throws <see cref="DigitizerGoneException"/> from then on,
/// and the provider cannot open its serial number again until T has passed on the simulation clock.
/// </summary>
public sealed record DeviceRemovalFault(int AtEvent, TimeSpan Duration) : FaultSpec(AtEvent)
{
    public override string ToSpec() => $"remove@{AtEvent}:{FormatDuration(Duration)}";
}

/// <summary><c>missing@K[xN]</c> — from event K on, N bunches (default 1) produce no trigger.</summary>
public sealed record MissingTriggerFault(int AtEvent, int Count) : FaultSpec(AtEvent)
{
    public override string ToSpec() => Count == 1 ? $"missing@{AtEvent}" : $"missing@{AtEvent}x{Count}";
}

/// <summary><c>slow@K[xN]:T</c> — reading events K … K+N−1 takes T longer (a slow USB transfer).</summary>
public sealed record SlowReadFault(int AtEvent, int Count, TimeSpan Latency) : FaultSpec(AtEvent)
{
    public override string ToSpec() => Count == 1
        ? $"slow@{AtEvent}:{FormatDuration(Latency)}"
        : $"slow@{AtEvent}x{Count}:{FormatDuration(Latency)}";
}

/// <summary>
/// <c>storm@K[xR]:T</c> — from the bunch of event K on, for T, spurious triggers arrive at R per second (default 100)
/// between the bunches, as noise on the trigger line would make them: each one that finds the device armed records an
/// event without beam (bunch index 0, so it never counts as a bunch); those that come while it is busy are lost.
/// They fall half a spurious period after each tick of a grid that starts at the bunch, so a test can tell them apart.
/// </summary>
public sealed record TriggerStormFault(int AtEvent, int RateHz, TimeSpan Duration) : FaultSpec(AtEvent)
{
    public const int DefaultRateHz = 100;

    public override string ToSpec() => RateHz == DefaultRateHz
        ? $"storm@{AtEvent}:{FormatDuration(Duration)}"
        : $"storm@{AtEvent}x{RateHz}:{FormatDuration(Duration)}";
}
