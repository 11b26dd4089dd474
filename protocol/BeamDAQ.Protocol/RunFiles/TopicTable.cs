using System.Runtime.CompilerServices;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// Turns a record's topic bytes into a string without allocating for the known topics (and for any other
/// topic after its first record), so reading a file allocates nothing per record.
/// </summary>
internal sealed class TopicTable
{
    // Ordered by frequency in a run file: evt is nearly every record.
    private static readonly (byte[] Bytes, string Topic)[] Known =
        [.. new[] { Topics.Event, Topics.DaqStatus, Topics.SlowControl, Topics.Fit, Topics.Alarm, Topics.RunBegin, Topics.RunEnd }
            .Concat(Topics.All).Distinct().Select(t => (System.Text.Encoding.ASCII.GetBytes(t), t))];

    // Bounds the memory a file with endless distinct topics can make the reader hold.
    private const int MaxOtherTopics = 64;

    private List<(byte[] Bytes, string Topic)>? _others;

    /// <summary>The string for topic bytes that <see cref="RunFileFormat.IsValidTopic"/> accepted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per record: no unoptimised start (see RunFileReader.TryRead)
    public string Get(ReadOnlySpan<byte> topic)
    {
        foreach (var (bytes, name) in Known)
            if (topic.SequenceEqual(bytes)) return name;
        if (_others is not null)
            foreach (var (bytes, name) in _others)
                if (topic.SequenceEqual(bytes)) return name;

        string created = System.Text.Encoding.ASCII.GetString(topic);
        _others ??= [];
        if (_others.Count < MaxOtherTopics) _others.Add((topic.ToArray(), created));
        return created;
    }
}
