namespace BeamDAQ.Analysis.Features;

/// <summary>Why a channel's features are incomplete or suspect; the pipeline counts each.</summary>
[Flags]
public enum FeatureQuality : byte
{
    Good = 0,
    /// <summary>A sample reached the digitizer's range, or the digitizer flagged the channel: the amplitude is clipped.</summary>
    OverRange = 1 << 0,
    /// <summary>No valid pre-trigger sample in the baseline window: baseline, amplitude and integral are NaN.</summary>
    NoBaseline = 1 << 1,
    /// <summary>The signal window holds no sample of this record: amplitude and peak time are NaN.</summary>
    EmptySignalWindow = 1 << 2,
}

/// <summary>
/// The features of one channel of one event, in volts and seconds. Amplitude and integral are signed so that a
/// pulse of the configured polarity is positive.
/// </summary>
public struct ChannelFeatures
{
    /// <summary>Channel id 1–4.</summary>
    public int ChannelId;
    public FeatureQuality Quality;
    /// <summary>Mean of the baseline samples, volts.</summary>
    public double Baseline;
    /// <summary>Standard deviation (RMS about the mean) of the baseline samples, volts.</summary>
    public double BaselineRms;
    /// <summary>Number of samples the baseline was computed from.</summary>
    public int BaselineSamples;
    /// <summary>Peak minus baseline in the pulse direction, volts.</summary>
    public double Amplitude;
    /// <summary>Baseline-subtracted sum over the integral window times the sampling interval, volt·seconds.</summary>
    public double Integral;
    /// <summary>Time of the peak relative to the trigger, seconds (the first sample at the peak value).</summary>
    public double PeakTime;
    /// <summary>Index of the peak sample in the record.</summary>
    public int PeakIndex;

    public readonly bool IsOverRange => (Quality & FeatureQuality.OverRange) != 0;

    /// <summary>True when the amplitude is a number (the channel had a baseline and a non-empty signal window).</summary>
    public readonly bool HasAmplitude => (Quality & (FeatureQuality.NoBaseline | FeatureQuality.EmptySignalWindow)) == 0;
}
