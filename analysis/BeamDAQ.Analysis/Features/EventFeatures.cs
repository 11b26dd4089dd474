using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Features;

/// <summary>
/// The features of one event: a reusable holder the extractor overwrites for every event, so the per-event path
/// never allocates. Copy what must outlive the event.
/// </summary>
public sealed class EventFeatures
{
    private readonly ChannelFeatures[] _channels = new ChannelFeatures[4];

    public uint Run { get; internal set; }
    public ulong Trigger { get; internal set; }
    public long TimeNs { get; internal set; }
    public EventFlags Flags { get; internal set; }
    public int Count { get; internal set; }

    /// <summary>The analysed channels in the order the event carries them.</summary>
    public ReadOnlySpan<ChannelFeatures> Channels => _channels.AsSpan(0, Count);

    public ref readonly ChannelFeatures this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"this event has {Count} analysed channel(s)");
            return ref _channels[index];
        }
    }

    /// <summary>The features of channel <paramref name="channelId"/>, if it was analysed.</summary>
    public bool TryGet(int channelId, out ChannelFeatures features)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_channels[i].ChannelId == channelId)
            {
                features = _channels[i];
                return true;
            }
        }
        features = default;
        return false;
    }

    internal ref ChannelFeatures Slot(int index) => ref _channels[index];
}
