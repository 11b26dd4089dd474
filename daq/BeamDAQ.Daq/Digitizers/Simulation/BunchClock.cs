namespace BeamDAQ.Daq.Digitizers.Simulation;

/// <summary>
/// The accelerator's bunch train: bunch k arrives at t₀ + k/f + jitter (Gaussian σ, clipped to ±40 % of the
/// period so bunches keep their order). Bunches are generated in order as time moves on; those that arrive
/// while nobody is armed are lost, as on the real set-up, and counted.
/// </summary>
internal sealed class BunchClock
{
    private readonly double _periodSeconds;
    private readonly double _jitterSeconds;
    private readonly DateTimeOffset _origin;
    private readonly Random _random;

    public BunchClock(double rateHz, TimeSpan jitter, DateTimeOffset origin, Random random)
    {
        if (!(rateHz > 0) || double.IsInfinity(rateHz)) throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, "bunch rate must be > 0 Hz");
        _periodSeconds = 1 / rateHz;
        _jitterSeconds = Math.Max(0, jitter.TotalSeconds);
        _origin = origin;
        _random = random;
        NextIndex = 1;
        NextTime = TimeOf(NextIndex);
    }

    /// <summary>Index of the next bunch that has not been used or lost (bunch 1 arrives one period after the origin).</summary>
    public long NextIndex { get; private set; }
    public DateTimeOffset NextTime { get; private set; }
    /// <summary>Bunches that arrived while the device was not armed.</summary>
    public long Lost { get; private set; }

    /// <summary>The first bunch arriving at or after <paramref name="time"/>; earlier ones are lost.</summary>
    public (long Index, DateTimeOffset Time) PeekAtOrAfter(DateTimeOffset time)
    {
        while (NextTime < time)
        {
            Lost++;
            Advance();
        }
        return (NextIndex, NextTime);
    }

    /// <summary>Uses the next bunch (it triggered, or was consumed by a fault).</summary>
    public void Take() => Advance();

    private void Advance()
    {
        NextIndex++;
        NextTime = TimeOf(NextIndex);
    }

    private DateTimeOffset TimeOf(long index)
    {
        double jitter = 0;
        if (_jitterSeconds > 0)
        {
            // Box–Muller: one normal per bunch from the dedicated jitter stream.
            double u1 = 1 - _random.NextDouble(), u2 = _random.NextDouble();
            jitter = _jitterSeconds * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            jitter = Math.Clamp(jitter, -0.4 * _periodSeconds, 0.4 * _periodSeconds);
        }
        return _origin + TimeSpan.FromSeconds(index * _periodSeconds + jitter);
    }
}
