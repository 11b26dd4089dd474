using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Tests.Transport.Support;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

/// <summary>
/// The live stream is readable and writable with Debian's python3-zmq and python3-msgpack alone (DESIGN §4):
/// a Python subscriber checks every field BeamDAQ publishes, and BeamDAQ decodes and accounts for what a
/// Python publisher sends.
/// </summary>
public sealed class PythonInteropTests : IDisposable
{
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-zmq-interop-").FullName;

    public void Dispose()
    {
        _context.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void WhenEventPublisherPublishesThenAPythonSubscriberReadsEveryFieldAsSent()
    {
        var events = new[]
        {
            Event(run: 12, trigger: 1, timeNs: 1_718_000_000_123_456_789, EventFlags.None, sampleRate: 1e9, pre: 200,
                Channel(1, 0.8, 14, -0.0125, samples: 1000, seed: 1)),
            Event(run: 12, trigger: 5_000_000_000, timeNs: -42, EventFlags.OverRangeChannel2 | EventFlags.TriggerTimeout | EventFlags.IncompletePreSamples,
                sampleRate: 312.5e6, pre: 0,
                Channel(1, 0.2, 14, 0, samples: 20_000, seed: 2), Channel(2, 4.0, 12, 0.5, samples: 20_000, seed: 3)),
            Event(run: uint.MaxValue, trigger: ulong.MaxValue, timeNs: long.MaxValue, (EventFlags)0x7F, sampleRate: 0.5, pre: uint.MaxValue,
                Channel(1, 80, 16, 1e-3, samples: 3, seed: 4), Channel(2, 40, 14, -1e-3, samples: 3, seed: 5),
                Channel(3, 20, 14, 0, samples: 0, seed: 6), Channel(4, 0.1, 8, 2.5, samples: 1, seed: 7)),
        };
        string expectedPath = Path.Combine(_directory, "expected.json");
        File.WriteAllText(expectedPath, JsonSerializer.Serialize(events.Select(ExpectedJson)));
        using var publisher = new EventPublisher(_context, "tcp://127.0.0.1:*");
        using var python = PythonProcess.Start("evt_subscriber.py", publisher.Endpoint, expectedPath);

        // Publish "hello" until the peer says it is connected; only then are no messages lost to a slow joiner.
        var clock = Stopwatch.StartNew();
        string? line = null;
        while (line is null && clock.Elapsed < Wait.Deadline)
        {
            publisher.Publish("hello", new Dictionary<string, object?>());
            line = python.TryReadLine(TimeSpan.FromMilliseconds(20));
        }
        Assert.True(line == "ready", $"peer said '{line}'; stderr: {python.Stderr}");
        foreach (var e in events) Assert.True(publisher.PublishEvent(e));

        Assert.Equal("ok 3", python.ReadLine());
        Assert.True(python.WaitForExit() == 0, python.Stderr);
    }

    [Fact]
    public void WhenAPythonPublisherWithoutTseqSendsEventsThenEventSubscriberDecodesThemAndCountsGapsResetsAndMalformedFromSeq()
    {
        using var python = PythonProcess.Start("evt_publisher.py");
        string endpoint = python.ReadLine();
        using var subscriber = new EventSubscriber(_context, endpoint, Topics.Event); // the peer waits for this subscription
        Assert.True(python.ReadLine() == "done", python.Stderr);

        var received = new List<ReceivedMessage>();
        while (received.Count < 11)
        {
            Assert.True(subscriber.TryReceive(Wait.Deadline, out var message), $"only {received.Count} of 11 messages arrived");
            received.Add(message);
        }

        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5, 8, 9, 10, 1, 2, 3 }, received.Select(m => m.Sequence));
        Assert.All(received, m => Assert.Null(m.TopicSequence)); // a publisher without tseq: counted from seq
        Assert.Equal(2, subscriber.Missed);
        Assert.Equal(2ul, received[5].MissedBefore);
        Assert.Equal(1, subscriber.Resets);
        Assert.True(received[8].SequenceReset);
        Assert.Equal(2, subscriber.Malformed);
        Assert.Equal(11, subscriber.Received);
        for (int k = 1; k <= received.Count; k++)
            AssertPythonEvent(k, EventCodec.Decode(received[k - 1].Payload));
    }

    /// <summary>The fields evt_publisher.py derives from k, the event's position in its script.</summary>
    private static void AssertPythonEvent(int k, DaqEvent e)
    {
        int n = 64 + k;
        short[] codes = Enumerable.Range(0, n).Select(i => (short)(i * 37 * k % 16384 - 8192)).ToArray();
        Assert.Equal(77u, e.Run);
        Assert.Equal(1000ul + (ulong)k, e.Trigger);
        Assert.Equal(1_700_000_000_000_000_000 + k * 1_000_003L, e.TimeNs);
        Assert.Equal((EventFlags)(k % 64), e.Flags);
        Assert.Equal(1e9 / k, e.SampleRate);
        Assert.Equal((uint)(3 * k), e.PreSamples);
        Assert.Equal(2, e.Channels.Count);
        var (first, third) = (e.Channels[0], e.Channels[1]);
        Assert.Equal((1, 0.8, 14, 0.8 / 8192, -0.01 * k), (first.Id, first.Range, first.Bits, first.Lsb, first.Offset));
        Assert.Equal((3, 4.0, 14, 4.0 / 8192, 0.0), (third.Id, third.Range, third.Bits, third.Lsb, third.Offset));
        Assert.Equal(codes, first.Samples.ToArray());
        Assert.Equal(codes.Reverse(), third.Samples.ToArray());
    }

    private static DaqEvent Event(uint run, ulong trigger, long timeNs, EventFlags flags, double sampleRate, uint pre, params ChannelRecord[] channels)
        => new(run, trigger, timeNs, flags, sampleRate, pre, channels);

    private static ChannelRecord Channel(int id, double range, int bits, double offset, int samples, int seed)
    {
        var bytes = new byte[samples * 2];
        var random = new Random(seed);
        for (int i = 0; i < samples; i++)
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), (short)random.Next(short.MinValue, short.MaxValue + 1));
        return new ChannelRecord(id, range, bits, lsb: range / (1 << (bits - 1)), offset, bytes);
    }

    private static object ExpectedJson(DaqEvent e) => new Dictionary<string, object>
    {
        ["run"] = e.Run,
        ["trg"] = e.Trigger,
        ["t_ns"] = e.TimeNs,
        ["flags"] = (uint)e.Flags,
        ["fs"] = e.SampleRate,
        ["pre"] = e.PreSamples,
        ["ch"] = e.Channels.Select(c => new Dictionary<string, object>
        {
            ["id"] = c.Id,
            ["range"] = c.Range,
            ["bits"] = c.Bits,
            ["lsb"] = c.Lsb,
            ["off"] = c.Offset,
            ["s"] = Convert.ToHexString(c.SampleBytes.Span),
        }).ToList(),
    };
}
