using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Protocol.Tests.MessagePack.Support;

/// <summary>Reproducible <c>evt</c> events for tests and the map a generic reader must see for each.</summary>
public static class SampleEvents
{
    public static DaqEvent Create(int channels, int samplesPerChannel, int seed, ulong sequence = 17, ulong topicSequence = 5)
    {
        var random = new Random(seed);
        var records = new List<ChannelRecord>();
        for (int id = 1; id <= channels; id++)
        {
            var bytes = new byte[samplesPerChannel * 2];
            random.NextBytes(bytes);
            double range = id <= 2 ? 0.8 : 4.0;
            records.Add(new ChannelRecord(id, range, bits: 14, lsb: range / 8192, offset: -0.001 * id, bytes));
        }
        return new DaqEvent(run: 42, trigger: 1234, timeNs: 1_718_000_000_000_000_000 + seed, EventFlags.OverRangeChannel2 | EventFlags.IncompletePreSamples,
            sampleRate: 1e9, preSamples: (uint)(samplesPerChannel / 5), records) { Sequence = sequence, TopicSequence = topicSequence };
    }

    /// <summary>The <c>evt</c> map of DESIGN §4 for <paramref name="e"/>, in the codec's key order (<c>tseq</c> only when set).</summary>
    public static Dictionary<string, object?> ExpectedMap(DaqEvent e)
    {
        var map = new Dictionary<string, object?> { ["v"] = (long)SchemaVersion.Current, ["seq"] = e.Sequence };
        if (e.TopicSequence != 0) map["tseq"] = e.TopicSequence;
        foreach (var (key, value) in Body(e)) map[key] = value;
        return map;
    }

    private static Dictionary<string, object?> Body(DaqEvent e) => new()
    {
        ["run"] = e.Run,
        ["trg"] = e.Trigger,
        ["t_ns"] = e.TimeNs,
        ["flags"] = (uint)e.Flags,
        ["fs"] = e.SampleRate,
        ["pre"] = e.PreSamples,
        ["ch"] = e.Channels.Select(c => (object?)new Dictionary<string, object?>
        {
            ["id"] = (long)c.Id,
            ["range"] = c.Range,
            ["bits"] = (long)c.Bits,
            ["lsb"] = c.Lsb,
            ["off"] = c.Offset,
            ["s"] = c.SampleBytes.ToArray(),
        }).ToList(),
    };
}
