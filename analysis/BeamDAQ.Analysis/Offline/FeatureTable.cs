using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Offline;

/// <summary>
/// Every event's features, kept for the offline analysis: columns per channel, one row per event, so the
/// amplitude histogram can be binned after the amplitudes are known and the rows can be exported. Rows from
/// parallel workers are merged and put back in trigger order with <see cref="Merge"/> and <see cref="SortByTrigger"/>.
/// </summary>
public sealed class FeatureTable : IEventSink
{
    private readonly List<ulong> _triggers = [];
    private readonly List<long> _times = [];
    private readonly List<EventFlags> _flags = [];
    // Per channel 1–4; a row where the event lacked the channel holds ChannelId 0.
    private readonly List<ChannelFeatures>?[] _channels = new List<ChannelFeatures>?[4];

    public int Count => _triggers.Count;
    public IReadOnlyList<ulong> Triggers => _triggers;
    public IReadOnlyList<long> TimesNs => _times;
    public IReadOnlyList<EventFlags> Flags => _flags;

    /// <summary>Channel ids that appear in at least one row, ascending.</summary>
    public IReadOnlyList<int> ChannelIds => Enumerable.Range(1, 4).Where(id => _channels[id - 1] is not null).ToList();

    public void OnEvent(DaqEvent daqEvent, EventFeatures features)
    {
        int row = _triggers.Count;
        _triggers.Add(features.Trigger);
        _times.Add(features.TimeNs);
        _flags.Add(features.Flags);
        foreach (ref readonly var channel in features.Channels)
            Column(channel.ChannelId, row).Add(channel);
        for (int i = 0; i < 4; i++)
            if (_channels[i] is { } column && column.Count == row) column.Add(default);
    }

    private List<ChannelFeatures> Column(int channelId, int rows)
    {
        if (_channels[channelId - 1] is { } existing) return existing;
        var column = new List<ChannelFeatures>(Math.Max(16, rows + 1));
        for (int i = 0; i < rows; i++) column.Add(default);
        return _channels[channelId - 1] = column;
    }

    /// <summary>The feature column of a channel (rows where the event lacked the channel have ChannelId 0).</summary>
    public IReadOnlyList<ChannelFeatures> ChannelColumn(int channelId) =>
        _channels[channelId - 1] is { } column ? column : [];

    /// <summary>The amplitudes (volts) of the rows where the channel has one, in row order.</summary>
    public double[] Amplitudes(int channelId)
    {
        var column = ChannelColumn(channelId);
        var result = new List<double>(column.Count);
        foreach (var f in column)
            if (f.ChannelId != 0 && f.HasAmplitude) result.Add(f.Amplitude);
        return result.ToArray();
    }

    /// <summary>Appends another table's rows.</summary>
    public void Merge(FeatureTable other)
    {
        int rows = Count;
        _triggers.AddRange(other._triggers);
        _times.AddRange(other._times);
        _flags.AddRange(other._flags);
        for (int i = 0; i < 4; i++)
        {
            if (other._channels[i] is { } theirs)
            {
                Column(i + 1, rows).AddRange(theirs);
            }
            else if (_channels[i] is { } ours)
            {
                for (int k = 0; k < other.Count; k++) ours.Add(default);
            }
        }
    }

    /// <summary>Puts the rows in trigger order (then time), as the events were acquired.</summary>
    public void SortByTrigger()
    {
        var order = Enumerable.Range(0, Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = _triggers[a].CompareTo(_triggers[b]);
            return c != 0 ? c : _times[a].CompareTo(_times[b]);
        });
        Permute(_triggers, order);
        Permute(_times, order);
        Permute(_flags, order);
        foreach (var column in _channels)
            if (column is not null) Permute(column, order);
    }

    private static void Permute<T>(List<T> list, int[] order)
    {
        var copy = list.ToArray();
        for (int i = 0; i < order.Length; i++) list[i] = copy[order[i]];
    }

    /// <summary>Trigger numbers missing between consecutive rows (after <see cref="SortByTrigger"/>), and repeated ones.</summary>
    public (long Gaps, long Repeats) TriggerGaps()
    {
        long gaps = 0, repeats = 0;
        for (int i = 1; i < _triggers.Count; i++)
        {
            ulong previous = _triggers[i - 1], current = _triggers[i];
            if (current == previous) repeats++;
            else if (current > previous + 1) gaps += (long)(current - previous - 1);
        }
        return (gaps, repeats);
    }
}
