namespace BeamDAQ.Protocol.Events;

/// <summary>One triggered bunch as recorded and published on the <c>evt</c> topic (DESIGN §4).</summary>
public sealed class DaqEvent
{
    public DaqEvent(uint run, ulong trigger, long timeNs, EventFlags flags, double sampleRate, uint preSamples, IReadOnlyList<ChannelRecord> channels)
    {
        Run = run;
        Trigger = trigger;
        TimeNs = timeNs;
        Flags = flags;
        SampleRate = sampleRate;
        PreSamples = preSamples;
        Channels = channels;
    }

    /// <summary>The publisher's message sequence number (<c>seq</c>, all topics together); 0 until a publisher stamps it.</summary>
    public ulong Sequence { get; init; }
    /// <summary>
    /// The publisher's sequence number of <c>evt</c> messages alone (<c>tseq</c>, from 1). 0 means none: the key is
    /// not written, and a decoded event had none (a sender that keeps no per-topic count).
    /// </summary>
    public ulong TopicSequence { get; init; }
    /// <summary>Run number (<c>run</c>).</summary>
    public uint Run { get; }
    /// <summary>Trigger number within the run, from 1 (<c>trg</c>).</summary>
    public ulong Trigger { get; }
    /// <summary>Host UTC time of the trigger, ns since the Unix epoch (<c>t_ns</c>).</summary>
    public long TimeNs { get; }
    public EventFlags Flags { get; }
    /// <summary>Sample rate in Hz (<c>fs</c>).</summary>
    public double SampleRate { get; }
    /// <summary>Valid pre-trigger samples (<c>pre</c>).</summary>
    public uint PreSamples { get; }
    public IReadOnlyList<ChannelRecord> Channels { get; }

    public ChannelRecord? Channel(int id)
    {
        foreach (var channel in Channels)
            if (channel.Id == id) return channel;
        return null;
    }
}
