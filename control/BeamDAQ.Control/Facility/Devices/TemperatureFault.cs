namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// An injected temperature excursion on one channel, for alarm tests: a step of <see cref="StepK"/> at
/// <see cref="Start"/>, plus a ramp of <see cref="RampKPerS"/> lasting <see cref="RampDuration"/> (the offset
/// then stays where the ramp ended).
/// </summary>
public sealed record TemperatureFault(DateTimeOffset Start, double StepK, double RampKPerS, TimeSpan RampDuration)
{
    public double OffsetAt(DateTimeOffset now)
    {
        if (now < Start)
            return 0;
        double rampSeconds = Math.Min((now - Start).TotalSeconds, RampDuration.TotalSeconds);
        return StepK + RampKPerS * rampSeconds;
    }
}
