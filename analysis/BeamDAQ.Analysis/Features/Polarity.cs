namespace BeamDAQ.Analysis.Features;

/// <summary>The sign of a detector pulse relative to the baseline; amplitudes and integrals are reported positive for it.</summary>
public enum Polarity
{
    /// <summary>The pulse rises above the baseline (amplitude = maximum − baseline).</summary>
    Positive,
    /// <summary>The pulse falls below the baseline (amplitude = baseline − minimum).</summary>
    Negative,
}
