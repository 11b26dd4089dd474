namespace BeamDAQ.Analysis.Features;

/// <summary>
/// What the per-event features are computed from. Defaults follow the detector: a positive pulse, the baseline
/// from every valid pre-trigger sample, the amplitude and integral from the trigger to the end of the record.
/// </summary>
public sealed record FeatureSettings
{
    public static FeatureSettings Default { get; } = new();

    public Polarity Polarity { get; init; } = Polarity.Positive;

    /// <summary>Baseline window; always clipped to the valid pre-trigger samples. Null: all of them.</summary>
    public SampleWindow? BaselineWindow { get; init; }

    /// <summary>Where the peak (amplitude, peak time) is searched. Null: from the trigger to the end.</summary>
    public SampleWindow? SignalWindow { get; init; }

    /// <summary>Integration window. Null: the signal window.</summary>
    public SampleWindow? IntegralWindow { get; init; }

    /// <summary>Channel ids (1–4) to analyse. Null: every channel the event carries.</summary>
    public IReadOnlyList<int>? Channels { get; init; }

    public bool Includes(int channelId)
    {
        if (Channels is null) return true;
        foreach (int id in Channels)
            if (id == channelId) return true;
        return false;
    }

    /// <summary>Checks the settings once, before any event, so a bad setting is a usage error, not a per-event failure.</summary>
    public void Validate()
    {
        if (Channels is not null)
            foreach (int id in Channels)
                if (id is < 1 or > 4)
                    throw new ArgumentOutOfRangeException(nameof(Channels), id, $"channel {id} is not a digitizer channel; allowed 1–4");
        Check(BaselineWindow, "baseline window");
        Check(SignalWindow, "signal window");
        Check(IntegralWindow, "integral window");

        static void Check(SampleWindow? window, string name)
        {
            if (window is not { } w) return;
            if (!double.IsFinite(w.Start))
                throw new ArgumentOutOfRangeException(name, w.Start, $"{name} start must be a finite number");
            if (w.Length is { } length && (!double.IsFinite(length) || length <= 0))
                throw new ArgumentOutOfRangeException(name, length, $"{name} length must be positive");
        }
    }
}
