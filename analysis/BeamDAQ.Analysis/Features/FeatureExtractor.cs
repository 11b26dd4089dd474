using System.Runtime.CompilerServices;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Features;

/// <summary>
/// Computes <see cref="ChannelFeatures"/> from raw int16 codes: integer reductions over the windows
/// (<see cref="WaveformKernels"/>), one conversion to volts at the end. Allocation-free per event; one instance
/// per thread.
/// </summary>
public sealed class FeatureExtractor
{
    public FeatureExtractor(FeatureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
    }

    public FeatureSettings Settings { get; }

    /// <summary>Overwrites <paramref name="into"/> with the features of <paramref name="daqEvent"/>'s selected channels.</summary>
    public void Extract(DaqEvent daqEvent, EventFeatures into)
    {
        into.Run = daqEvent.Run;
        into.Trigger = daqEvent.Trigger;
        into.TimeNs = daqEvent.TimeNs;
        into.Flags = daqEvent.Flags;
        int count = 0;
        var channels = daqEvent.Channels;
        for (int i = 0; i < channels.Count && count < 4; i++)
        {
            var channel = channels[i];
            if (!Settings.Includes(channel.Id)) continue;
            bool flagged = (daqEvent.Flags & EventFlagsExtensions.OverRangeOf(channel.Id)) != 0;
            ExtractChannel(channel.Samples, ChannelCalibration.Of(channel), daqEvent.PreSamples, daqEvent.SampleRate, flagged, ref into.Slot(count));
            count++;
        }
        into.Count = count;
    }

    /// <summary>
    /// The features of one channel's <paramref name="codes"/> whose first <paramref name="preSamples"/> samples are
    /// valid pre-trigger samples (the trigger is at that index).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ExtractChannel(ReadOnlySpan<short> codes, in ChannelCalibration calibration, uint preSamples, double sampleRate,
        bool flaggedOverRange, ref ChannelFeatures features)
    {
        int n = codes.Length;
        int trigger = (int)Math.Min(preSamples, (uint)n);
        features.ChannelId = calibration.ChannelId;
        var quality = flaggedOverRange ? FeatureQuality.OverRange : FeatureQuality.Good;
        int clipHigh = calibration.ClipHighCode, clipLow = calibration.ClipLowCode;
        double lsb = calibration.Lsb;

        // Baseline: only valid pre-trigger samples, whatever window was asked for.
        var (b0, b1) = Settings.BaselineWindow is { } bw ? bw.Resolve(trigger, sampleRate, 0, trigger) : (0, trigger);
        int nb = b1 - b0;
        double baselineCode = double.NaN;
        if (nb > 0)
        {
            WaveformKernels.SumSquaresMinMax(codes.Slice(b0, nb), out long sum, out ulong sumSq, out short min, out short max);
            baselineCode = (double)sum / nb;
            // n·Σc² − (Σc)² is exact in 128 bits; the variance is that over n².
            Int128 spread = (Int128)nb * sumSq - (Int128)sum * sum;
            features.Baseline = calibration.Offset + lsb * baselineCode;
            features.BaselineRms = Math.Abs(lsb) * Math.Sqrt((double)spread) / nb;
            if (max >= clipHigh || min <= clipLow) quality |= FeatureQuality.OverRange;
        }
        else
        {
            features.Baseline = double.NaN;
            features.BaselineRms = double.NaN;
            quality |= FeatureQuality.NoBaseline;
        }
        features.BaselineSamples = nb;

        var (s0, s1) = Settings.SignalWindow is { } sw ? sw.Resolve(trigger, sampleRate, 0, n) : (trigger, n);
        int ns = s1 - s0;
        long signalSum = 0;
        if (ns > 0)
        {
            var window = codes.Slice(s0, ns);
            WaveformKernels.SumMinMax(window, out signalSum, out short min, out short max);
            if (max >= clipHigh || min <= clipLow) quality |= FeatureQuality.OverRange;
            short peak = Settings.Polarity == Polarity.Positive ? max : min;
            int peakIndex = s0 + window.IndexOf(peak);
            features.PeakIndex = peakIndex;
            features.PeakTime = (peakIndex - trigger) / sampleRate;
            features.Amplitude = Settings.Polarity == Polarity.Positive ? lsb * (max - baselineCode) : lsb * (baselineCode - min);
        }
        else
        {
            features.PeakIndex = -1;
            features.PeakTime = double.NaN;
            features.Amplitude = double.NaN;
            quality |= FeatureQuality.EmptySignalWindow;
        }

        long integralSum;
        int ni;
        if (Settings.IntegralWindow is { } iw)
        {
            var (i0, i1) = iw.Resolve(trigger, sampleRate, 0, n);
            ni = i1 - i0;
            integralSum = WaveformKernels.Sum(codes.Slice(i0, ni));
        }
        else
        {
            ni = ns;
            integralSum = signalSum;
        }
        double sign = Settings.Polarity == Polarity.Positive ? 1.0 : -1.0;
        features.Integral = sign * lsb * (integralSum - ni * baselineCode) / sampleRate;
        features.Quality = quality;
    }
}
