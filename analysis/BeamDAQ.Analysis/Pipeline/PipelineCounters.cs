using BeamDAQ.Analysis.Features;

namespace BeamDAQ.Analysis.Pipeline;

/// <summary>
/// What the pipeline saw: every record is counted exactly once as analysed, undecodable or other, and every
/// feature problem per channel. Written by the pipeline's thread only; readers elsewhere take a <see cref="Clone"/>.
/// </summary>
public sealed class PipelineCounters
{
    /// <summary>Events decoded and analysed.</summary>
    public long Events;
    /// <summary>Records or messages whose payload did not decode (any topic); see <see cref="EventPipeline.Problems"/>.</summary>
    public long Undecodable;
    public long RunBegins;
    public long RunEnds;
    /// <summary>Messages of the other topics (status, slow control, fits, alarms, unknown).</summary>
    public long OtherMessages;
    /// <summary>Trigger numbers skipped in the event stream (trg jumping from n to n + k counts k − 1).</summary>
    public long TriggerGaps;
    /// <summary>Events whose trigger number did not increase (repeats or reordering).</summary>
    public long TriggersOutOfOrder;
    /// <summary>Calls into a sink that threw; the sink keeps receiving events.</summary>
    public long SinkFailures;

    /// <summary>Per channel 1–4 (index 0–3): events whose amplitude is clipped.</summary>
    public readonly long[] OverRange = new long[4];
    /// <summary>Per channel: events without a valid pre-trigger sample for the baseline.</summary>
    public readonly long[] NoBaseline = new long[4];
    /// <summary>Per channel: events whose signal window held no sample.</summary>
    public readonly long[] EmptySignalWindow = new long[4];

    internal void Count(in ChannelFeatures features)
    {
        int index = features.ChannelId - 1;
        if ((uint)index >= 4) return;
        if ((features.Quality & FeatureQuality.OverRange) != 0) OverRange[index]++;
        if ((features.Quality & FeatureQuality.NoBaseline) != 0) NoBaseline[index]++;
        if ((features.Quality & FeatureQuality.EmptySignalWindow) != 0) EmptySignalWindow[index]++;
    }

    /// <summary>Adds another pipeline's counts (parallel workers of one file).</summary>
    public void Add(PipelineCounters other)
    {
        Events += other.Events;
        Undecodable += other.Undecodable;
        RunBegins += other.RunBegins;
        RunEnds += other.RunEnds;
        OtherMessages += other.OtherMessages;
        TriggerGaps += other.TriggerGaps;
        TriggersOutOfOrder += other.TriggersOutOfOrder;
        SinkFailures += other.SinkFailures;
        for (int i = 0; i < 4; i++)
        {
            OverRange[i] += other.OverRange[i];
            NoBaseline[i] += other.NoBaseline[i];
            EmptySignalWindow[i] += other.EmptySignalWindow[i];
        }
    }

    public PipelineCounters Clone()
    {
        var copy = new PipelineCounters();
        copy.Add(this);
        return copy;
    }
}
