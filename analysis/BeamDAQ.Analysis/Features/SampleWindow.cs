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
        // A window in time cannot be placed without a usable sample rate: it is empty, never an exception.
        if (!(scale > 0) || !double.IsFinite(scale)) return (lowest, lowest);
        double begin = triggerIndex + Math.Round(Start * scale);
        double end = Length is { } length ? begin + Math.Round(length * scale) : highest;
        int b = (int)Math.Clamp(begin, lowest, highest);
        int e = (int)Math.Clamp(end, b, highest);
        return (b, e);
    }

    /// <summary>
    /// Parses the command-line form <c>START:LENGTH</c> in samples, or with an <c>ns</c> suffix in nanoseconds
    /// (<c>-100:400ns</c>); an empty LENGTH runs to the end of the record (<c>0:</c>).
    /// </summary>
    public static bool TryParse(string text, out SampleWindow window, out string? error)
    {
        window = default;
        string body = text.Trim();
        var unit = WindowUnit.Samples;
        if (body.EndsWith("ns", StringComparison.OrdinalIgnoreCase))
        {
            unit = WindowUnit.Nanoseconds;
            body = body[..^2];
        }
        int colon = body.IndexOf(':');
        if (colon < 0)
        {
            error = $"'{text}' is not a window; expected START:LENGTH in samples or START:LENGTHns in nanoseconds, relative to the trigger (e.g. -100:100 or 0:2000ns; 0: runs to the end)";
            return false;
        }
        var style = System.Globalization.NumberStyles.Float;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        string startText = body[..colon], lengthText = body[(colon + 1)..];
        if (!double.TryParse(startText, style, culture, out double start) || !double.IsFinite(start))
        {
            error = $"window '{text}': start '{startText}' is not a number";
            return false;
        }
        double? length = null;
        if (lengthText.Length > 0)
        {
            if (!double.TryParse(lengthText, style, culture, out double parsed) || !(parsed > 0) || !double.IsFinite(parsed))
            {
                error = $"window '{text}': length '{lengthText}' must be a positive number";
                return false;
            }
            length = parsed;
        }
        window = new SampleWindow(start, length, unit);
        error = null;
        return true;
    }

    public override string ToString()
    {
        string unit = Unit == WindowUnit.Samples ? "samples" : "ns";
        return Length is { } length ? $"[{Start}, {Start + length}) {unit} from the trigger" : $"[{Start}, end) {unit} from the trigger";
    }
}
