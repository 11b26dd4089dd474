namespace BeamDAQ.Daq.Digitizers.Simulation.Signal;

/// <summary>
/// The detector pulse after a charge-sensitive amplifier and a CR-RCⁿ shaper: h(t) = (t/nτ)ⁿ e^(n − t/τ) for
/// t ≥ 0, which peaks at 1 when t = nτ, so a deposit E gives a peak of gain·E volts. Precomputed once per
/// configuration as sampled templates at <see cref="PhaseCount"/> sub-sample phases: the beam trigger is not
/// synchronous with the sample clock, so the sampled peak height varies with the phase just as on the HS4.
/// </summary>
public sealed class PulseShape
{
    public const int PhaseCount = 16;
    private const double CutoffFraction = 1e-5;

    private readonly int[] _firstSample;
    private readonly float[][] _values;

    /// <param name="shapingTimeSeconds">τ of each shaping stage.</param>
    /// <param name="order">n, the number of integrating stages (1–10).</param>
    /// <param name="delaySeconds">Time from the trigger to the start of the pulse.</param>
    /// <param name="sampleRateHz">The applied sample rate.</param>
    /// <param name="maxSamples">Longest template to keep (the record length).</param>
    public PulseShape(double shapingTimeSeconds, int order, double delaySeconds, double sampleRateHz, int maxSamples)
    {
        if (!(shapingTimeSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(shapingTimeSeconds), shapingTimeSeconds, "shaping time must be > 0 s");
        if (order is < 1 or > 10) throw new ArgumentOutOfRangeException(nameof(order), order, "shaper order must be 1–10");
        if (!(delaySeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(delaySeconds), delaySeconds, "delay must be ≥ 0 s");
        ShapingTimeSeconds = shapingTimeSeconds;
        Order = order;
        DelaySeconds = delaySeconds;
        SampleRateHz = sampleRateHz;

        // Where the tail has fallen below the cut-off: beyond the peak, h decreases monotonically.
        double end = order * shapingTimeSeconds;
        while (Value(end) > CutoffFraction && end < 1e3 * order * shapingTimeSeconds) end += shapingTimeSeconds;
        int length = Math.Clamp((int)Math.Ceiling(end * sampleRateHz) + 2, 1, Math.Max(1, maxSamples));

        _firstSample = new int[PhaseCount];
        _values = new float[PhaseCount][];
        double dt = 1 / sampleRateHz;
        for (int k = 0; k < PhaseCount; k++)
        {
            // Pulse start in samples after the trigger sample, with the trigger's phase inside a sample period.
            double start = delaySeconds * sampleRateHz + (k + 0.5) / PhaseCount;
            int first = (int)Math.Floor(start) + 1;
            var values = new float[length];
            for (int m = 0; m < length; m++)
                values[m] = (float)Value((first + m - start) * dt);
            _firstSample[k] = first;
            _values[k] = values;
        }
    }

    public double ShapingTimeSeconds { get; }
    public int Order { get; }
    public double DelaySeconds { get; }
    public double SampleRateHz { get; }
    public double PeakTimeSeconds => Order * ShapingTimeSeconds;

    /// <summary>The unit-peak pulse at time <paramref name="t"/> after its start.</summary>
    public double Value(double t)
    {
        if (t <= 0) return 0;
        double u = t / ShapingTimeSeconds;
        return Math.Exp(Order * Math.Log(u / Order) + Order - u);
    }

    /// <summary>Template at phase <paramref name="phase"/>: its first sample's offset from the trigger sample and its values.</summary>
    public (int FirstSample, float[] Values) Template(int phase) => (_firstSample[phase], _values[phase]);
}
