namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// One jaw on a linear piezo motor: moves at constant speed to its target plus a small final positioning
/// error, then needs a settle time (the slave board's PID) before it reports settled. Positions are
/// functions of time, so no background thread is needed; the owning collimator serialises access.
/// </summary>
internal sealed class SimulatedJaw
{
    private double start;
    private DateTimeOffset startTime;
    private double final;
    private DateTimeOffset arrival;
    private DateTimeOffset settledAt;

    public SimulatedJaw(double position, DateTimeOffset now)
    {
        start = final = Target = position;
        startTime = arrival = settledAt = now;
    }

    /// <summary>The commanded position.</summary>
    public double Target { get; private set; }

    public double PositionAt(DateTimeOffset now)
    {
        if (now >= arrival)
            return final;
        double fraction = (now - startTime) / (arrival - startTime);
        return start + (final - start) * Math.Clamp(fraction, 0, 1);
    }

    public bool IsSettledAt(DateTimeOffset now) => now >= settledAt;

    public void MoveTo(double target, double positioningError, DateTimeOffset now, double speedMmPerS, TimeSpan settleTime)
    {
        start = PositionAt(now);
        startTime = now;
        Target = target;
        final = target + positioningError;
        arrival = now + TimeSpan.FromSeconds(Math.Abs(final - start) / speedMmPerS);
        settledAt = arrival + settleTime;
    }

    /// <summary>Stops where the jaw is now; it still settles there.</summary>
    public void Stop(DateTimeOffset now, TimeSpan settleTime)
    {
        if (IsSettledAt(now))
            return;
        start = final = Target = PositionAt(now);
        startTime = arrival = now;
        settledAt = now + settleTime;
    }
}
