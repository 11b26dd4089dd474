namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// The accelerator's bunch train as an independent oracle for trigger accounting: bunches come every 1/f, so an
/// event's bunch number follows from its time. With the simulator's jitter (σ 0.5 ms) far below half a period
/// (100 ms at 5 Hz), rounding recovers it exactly.
/// </summary>
public static class BunchGrid
{
    /// <summary>Bunch numbers of <paramref name="eventTimesNs"/>, counted from the first event's bunch (0).</summary>
    public static long[] Indices(IReadOnlyList<long> eventTimesNs, double rateHz)
    {
        double periodNs = 1e9 / rateHz;
        return eventTimesNs.Select(t => (long)Math.Round((t - eventTimesNs[0]) / periodNs)).ToArray();
    }

    /// <summary>Bunches from the first event's to the last event's, inclusive: each one either triggered or was missed.</summary>
    public static long Spanned(IReadOnlyList<long> eventTimesNs, double rateHz) =>
        eventTimesNs.Count == 0 ? 0 : Indices(eventTimesNs, rateHz)[^1] + 1;
}
