using System.Runtime.InteropServices;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>One valid wire message: its topic and its MessagePack payload.</summary>
public sealed record WireMessage(string Topic, byte[] Payload);

/// <summary>
/// Valid payloads of every topic of DESIGN §4 (evt, run.begin, run.end, daq.status, sc, fit, alarm), varied in
/// size and content, encoded by the production encoders: the seeds the fuzzer mutates.
/// </summary>
public static class WireCorpus
{
    public static IReadOnlyList<WireMessage> Build(Random random, int perTopic = 8)
    {
        var seeds = new List<WireMessage>();
        ulong seq = 1;
        for (int i = 0; i < perTopic; i++)
        {
            // Small events keep a million decodes cheap; one in eight is a full 2500-sample HS4 record.
            int samples = i == 0 ? 2500 : random.Next(0, 96);
            // As BeamDAQ's publishers stamp them: seq over all topics, tseq per topic (every other seed without tseq,
            // as a publisher that keeps no per-topic count sends them).
            ulong tseq = i % 2 == 0 ? (ulong)(i + 1) : 0;
            seeds.Add(new(Topics.Event, EventCodec.EncodeToArray(Event(random, (ulong)(i + 1), random.Next(1, 5), samples, seq++, tseq))));
            seeds.Add(new(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, RunBegin(random, (uint)(i + 1)).ToMap(), seq++, tseq)));
            seeds.Add(new(Topics.RunEnd, MapMessage.EncodeToArray(Topics.RunEnd, RunEnd(random, (uint)(i + 1)).ToMap(), seq++, tseq)));
            seeds.Add(new(Topics.DaqStatus, MapMessage.EncodeToArray(Topics.DaqStatus, Status(random, i).ToMap(), seq++, tseq)));
            seeds.Add(new(Topics.SlowControl, MapMessage.EncodeToArray(Topics.SlowControl, SlowControl(random).ToMap(), seq++, tseq)));
            seeds.Add(new(Topics.Fit, MapMessage.EncodeToArray(Topics.Fit, Fit(random, (uint)(i + 1), full: i % 2 == 0).ToMap(), seq++, tseq)));
            seeds.Add(new(Topics.Alarm, MapMessage.EncodeToArray(Topics.Alarm, Alarm(random).ToMap(), seq++, tseq)));
        }
        return seeds;
    }

    public static DaqEvent Event(Random random, ulong trigger, int channelCount, int samples, ulong seq = 0, ulong tseq = 0)
    {
        var channels = new List<ChannelRecord>();
        for (int id = 1; id <= channelCount; id++)
        {
            var codes = new short[samples];
            for (int s = 0; s < samples; s++) codes[s] = (short)random.Next(-2048, 2048);
            double range = new[] { 0.2, 0.8, 2.0, 8.0 }[random.Next(4)];
            channels.Add(new ChannelRecord(id, range, 12, 2 * range / 4096, random.NextDouble() * 1e-3,
                MemoryMarshal.AsBytes(codes.AsSpan()).ToArray()));
        }
        return new DaqEvent(7, trigger, 1_700_000_000_000_000_000 + (long)trigger * 200_000_000, (EventFlags)random.Next(0, 0x40),
            50e6, (uint)(samples / 5), channels) { Sequence = seq, TopicSequence = tseq };
    }

    public static RunBeginMessage RunBegin(Random random, uint run) => new()
    {
        Run = run,
        TimeNs = 1_700_000_000_000_000_000,
        Software = "0.1.0+fuzz",
        Config = new Dictionary<string, object?>
        {
            ["digitizer"] = new Dictionary<string, object?>
            {
                ["driver"] = "simulator", ["resolution_bits"] = 12L, ["sample_rate_hz"] = 50e6, ["record_length"] = 2500L,
                ["channels"] = new List<object?> { new Dictionary<string, object?> { ["id"] = 1L, ["range_v"] = 0.8, ["coupling"] = "dc" } },
                ["trigger"] = new Dictionary<string, object?> { ["input"] = "EXT1", ["edge"] = "rising", ["timeout_s"] = null },
            },
            ["simulator"] = new Dictionary<string, object?> { ["seed"] = (long)random.Next(), ["lambda"] = random.NextDouble() * 10 },
            ["output"] = new Dictionary<string, object?> { ["directory"] = "runs" },
        },
        Applied = new Dictionary<string, object?>
        {
            ["sample_rate_hz"] = 50e6, ["resolution_bits"] = 12L, ["record_length"] = 2500L,
            ["channels"] = new List<object?> { new Dictionary<string, object?> { ["id"] = 1L, ["range_v"] = 0.8, ["lsb_v"] = 0.8 / 2048 } },
        },
        Meta = new Dictionary<string, object?>
        {
            ["operator"] = "shift crew", ["comment"] = "fuzz seed ✓", ["beam_energy_mev"] = 2.7,
            ["exit_aperture_mm"] = new List<object?> { 9.9, 3.1 },
        },
    };

    public static RunEndMessage RunEnd(Random random, uint run) => new()
    {
        Run = run, TimeNs = 1_700_000_100_000_000_000, Events = (ulong)random.Next(0, 100_000), Missed = (ulong)random.Next(0, 10),
        Reason = random.Next(3) switch { 0 => "operator stop", 1 => "event limit", _ => "disk full" },
        Extras = new Dictionary<string, object?>
        {
            ["gaps"] = new List<object?> { new Dictionary<string, object?> { ["start_ns"] = 1L, ["end_ns"] = 2L, ["missed"] = 3L } },
        },
    };

    public static DaqStatusMessage Status(Random random, int i) => new()
    {
        State = i % 2 == 0 ? "Running" : "Idle", Run = i % 2 == 0 ? (uint)i + 1 : null, TriggerRateHz = random.NextDouble() * 5,
        Events = (ulong)random.Next(), Missed = (ulong)random.Next(100), DeadTimeFraction = random.NextDouble() * 0.01,
        BytesWritten = random.Next(), DeviceState = "ok", Dropped = 0, TimeNs = 1_700_000_000_000_000_000,
    };

    public static SlowControlMessage SlowControl(Random random) => new()
    {
        TimeNs = 1_700_000_000_000_000_000, Device = "magnet", Quantity = "current", Value = 11.869 + random.NextDouble(), Unit = "A",
    };

    public static FitMessage Fit(Random random, uint run, bool full) => new()
    {
        Run = run, TimeNs = 1_700_000_000_000_000_000, Lambda = random.NextDouble() * 10, LambdaError = 0.05,
        Converged = full ? true : null, LambdaLow = full ? 2.1 : null, LambdaHigh = full ? 2.3 : null, Chi2 = full ? 41.5 : null,
        Ndf = full ? 40 : null, PValue = full ? 0.4 : null, Events = full ? 10_000UL : null, LambdaZeroFraction = full ? 2.19 : null,
        LambdaMean = full ? 2.21 : null, Model = full ? "landau" : null, Software = full ? "0.1.0" : null,
        Parameters = full ? new Dictionary<string, object?> { ["gain"] = 1.0, ["pedestal"] = 0.0015, ["noise"] = 0.0004 } : null,
    };

    public static AlarmMessage Alarm(Random random) => new()
    {
        TimeNs = 1_700_000_000_000_000_000, Source = "daq", Severity = (AlarmSeverity)random.Next(0, 4), Code = "device-lost",
        Message = "the digitizer left the USB bus",
    };
}
