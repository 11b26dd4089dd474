namespace BeamDAQ.Analysis.Features;

/// <summary>Unit of a <see cref="SampleWindow"/>'s start and length.</summary>
public enum WindowUnit
{
    Samples,
    Nanoseconds,
}

/// <summary>
/// A window of a waveform relative to the trigger (the sample at index <c>pre</c>): it starts
/// <see cref="Start"/> after the trigger (negative: before it) and spans <see cref="Length"/>, or to the end of
/// the record when the length is null. Windows in nanoseconds are converted with the event's sample rate, so
/// one setting serves every rate.
/// </summary>
public readonly record struct SampleWindow(double Start, double? Length, WindowUnit Unit = WindowUnit.Samples)
{
    public static SampleWindow InSamples(int start, int? length = null) => new(start, length, WindowUnit.Samples);

    public static SampleWindow InNanoseconds(double start, double? length = null) => new(start, length, WindowUnit.Nanoseconds);

    /// <summary>
    /// The window as sample indices [<c>begin</c>, <c>end</c>) of a record of <paramref name="sampleCount"/> samples
    /// whose trigger is at index <paramref name="triggerIndex"/>, clipped to [<paramref name="lowest"/>,
    /// <paramref name="highest"/>). An empty result has begin == end.
    /// </summary>
    public (int Begin, int End) Resolve(int triggerIndex, double sampleRate, int lowest, int highest)
    {
        double scale = Unit == WindowUnit.Samples ? 1.0 : sampleRate * 1e-9;
        double begin = triggerIndex + Math.Round(Start * scale);
        double end = Length is { } length ? begin + Math.Round(length * scale) : highest;
        int b = (int)Math.Clamp(begin, lowest, highest);
        int e = (int)Math.Clamp(end, b, highest);
        return (b, e);
    }

    public override string ToString()
    {
        string unit = Unit == WindowUnit.Samples ? "samples" : "ns";
        return Length is { } length ? $"[{Start}, {Start + length}) {unit} from the trigger" : $"[{Start}, end) {unit} from the trigger";
    }
}
