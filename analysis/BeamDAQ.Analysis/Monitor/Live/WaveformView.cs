using BeamDAQ.Analysis.Features;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>
/// The last few waveforms of each channel with what the feature extraction made of them. Only references are
/// kept per event (the received payload is an array of its own, see <c>ReceivedMessage.Payload</c>); the
/// conversion to volts and the decimation for the page happen when a browser update is built, not per event.
/// Guarded by the owner's lock.
/// </summary>
public sealed class WaveformView(FeatureSettings settings, int kept = 4)
{
    private readonly Queue<CapturedWaveform>?[] _channels = new Queue<CapturedWaveform>?[4];

    public void Add(DaqEvent daqEvent, in ChannelFeatures features)
    {
        var channel = daqEvent.Channel(features.ChannelId);
        if (channel is null) return;
        var queue = _channels[features.ChannelId - 1] ??= new Queue<CapturedWaveform>(kept + 1);
        if (queue.Count >= kept) queue.Dequeue();
        queue.Enqueue(new CapturedWaveform(daqEvent, channel, features));
    }

    /// <summary>The kept waveforms of every channel, oldest first.</summary>
    public IEnumerable<(int ChannelId, IReadOnlyCollection<CapturedWaveform> Waveforms)> Channels()
    {
        for (int i = 0; i < 4; i++)
            if (_channels[i] is { Count: > 0 } queue) yield return (i + 1, queue.ToArray());
    }

    public void Reset()
    {
        Array.Clear(_channels);
    }

    /// <summary>
    /// The baseline and integration windows of a record as sample indices, resolved exactly as the feature
    /// extractor resolves them.
    /// </summary>
    public (int BaselineBegin, int BaselineEnd, int IntegralBegin, int IntegralEnd) Windows(int sampleCount, uint preSamples, double sampleRate)
    {
        int trigger = (int)Math.Min(preSamples, (uint)sampleCount);
        var (b0, b1) = settings.BaselineWindow is { } bw ? bw.Resolve(trigger, sampleRate, 0, trigger) : (0, trigger);
        var integral = settings.IntegralWindow ?? settings.SignalWindow;
        var (i0, i1) = integral is { } iw ? iw.Resolve(trigger, sampleRate, 0, sampleCount) : (trigger, sampleCount);
        return (b0, b1, i0, i1);
    }
}

/// <summary>One kept waveform: the event (for its samples) and its channel's features.</summary>
public sealed record CapturedWaveform(DaqEvent Event, ChannelRecord Channel, ChannelFeatures Features);
