using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Pipeline;

/// <summary>
/// Fills one amplitude histogram per channel as events stream in (the live spectrum). The binning is fixed
/// when given, otherwise learnt from the first <see cref="LearningEvents"/> amplitudes of the run with
/// <see cref="SpectrumBinning.Choose"/>; those events are filled in too, so none is lost. A new run starts new
/// histograms. <see cref="Snapshot"/> may be called from any thread.
/// </summary>
public sealed class AmplitudeHistogramSink : IEventSink
{
    private readonly Lock _gate = new();
    private readonly SpectrumBinning? _binning;
    private readonly Histogram1D?[] _histograms = new Histogram1D?[4];
    private readonly List<double>?[] _learning = new List<double>?[4];

    public AmplitudeHistogramSink(SpectrumBinning? binning = null, int learningEvents = 500)
    {
        if (learningEvents < 10) throw new ArgumentOutOfRangeException(nameof(learningEvents), learningEvents, "learn the binning from at least 10 events");
        _binning = binning;
        LearningEvents = learningEvents;
    }

    public int LearningEvents { get; }

    public void OnRunBegin(RunInfo run)
    {
        lock (_gate)
        {
            Array.Clear(_histograms);
            Array.Clear(_learning);
        }
    }

    public void OnEvent(DaqEvent daqEvent, EventFeatures features)
    {
        lock (_gate)
        {
            foreach (ref readonly var f in features.Channels)
            {
                if (!f.HasAmplitude) continue;
                int index = f.ChannelId - 1;
                if (_histograms[index] is { } histogram)
                {
                    histogram.Fill(f.Amplitude);
                    continue;
                }
                if (_binning is not null)
                {
                    (_histograms[index] = _binning.CreateHistogram()).Fill(f.Amplitude);
                    continue;
                }
                var learning = _learning[index] ??= new List<double>(LearningEvents);
                learning.Add(f.Amplitude);
                if (learning.Count < LearningEvents) continue;
                var learnt = SpectrumBinning.Choose(learning.ToArray()).CreateHistogram();
                learnt.FillMany(learning.ToArray());
                _histograms[index] = learnt;
                _learning[index] = null;
            }
        }
    }

    /// <summary>
    /// A copy of channel <paramref name="channelId"/>'s histogram; while the binning is still being learnt, one
    /// binned from the amplitudes so far. Null when the channel has no amplitude yet.
    /// </summary>
    public Histogram1D? Snapshot(int channelId)
    {
        if (channelId is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(channelId), channelId, "channel id must be 1–4");
        lock (_gate)
        {
            if (_histograms[channelId - 1] is { } histogram) return histogram.Clone();
            if (_learning[channelId - 1] is { Count: > 0 } learning) return Histogram1D.FromSpectrum(learning.ToArray());
            return null;
        }
    }
}
