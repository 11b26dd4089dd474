using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.RunFiles.Support;

/// <summary>Realistic payloads for every topic, encoded by the production codecs.</summary>
public static class RunFileMessages
{
    public const long T0 = 1_772_366_400_000_000_000; // 2026-03-01T12:00:00Z

    public static byte[] Encode(Action<ulong, MessagePackWriter> encode, ulong seq)
    {
        var writer = new MessagePackWriter();
        encode(seq, writer);
        return writer.WrittenSpan.ToArray();
    }

    public static RunBeginMessage RunBeginMessage(uint run) => new()
    {
        Run = run,
        TimeNs = T0,
        Config = new Dictionary<string, object?>
        {
            ["digitizer"] = new Dictionary<string, object?> { ["resolution_bits"] = 14L, ["sample_rate_hz"] = 3.125e6, ["channels"] = new List<object?> { 1L, 2L } },
            ["output"] = new Dictionary<string, object?> { ["dir"] = "runs/" },
        },
        Applied = new Dictionary<string, object?> { ["sample_rate_hz"] = 3.125e6, ["record_length"] = 64L, ["ranges_v"] = new List<object?> { 0.8, 2.0 } },
        Software = "0.1.0",
        Meta = new Dictionary<string, object?> { ["operator"] = "shift crew", ["comment"] = "µ-test ünïcode", ["beam_energy_mev"] = 2.7 },
    };

    public static byte[] RunBegin(uint run) => Encode(RunBeginMessage(run).Encode, 1);

    public static DaqEvent EventOf(uint run, ulong trigger, int samples)
    {
        short[] codes1 = [.. Enumerable.Range(0, samples).Select(i => (short)((int)(trigger * 131 + (ulong)i * 977) % 65536 - 32768))];
        short[] codes2 = [.. Enumerable.Range(0, samples).Select(i => (short)(i - samples / 2))];
        return new DaqEvent(run, trigger, T0 + (long)trigger * 200_000_000,
            trigger % 3 == 0 ? EventFlags.OverRangeChannel2 | EventFlags.IncompletePreSamples : EventFlags.None,
            3.125e6, (uint)(samples / 4),
            [
                new ChannelRecord(1, 0.8, 14, 0.8 / 8192, 0.0, ToBytes(codes1)),
                new ChannelRecord(2, 2.0, 14, 2.0 / 8192, -0.01, ToBytes(codes2)),
            ]) { Sequence = trigger };
    }

    public static byte[] Event(uint run, ulong trigger, int samples) => EventCodec.EncodeToArray(EventOf(run, trigger, samples));

    public static byte[] DaqStatus(uint run, ulong events) => Encode(new DaqStatusMessage
    {
        State = "Running", Run = run, TriggerRateHz = 5.0, Events = events, Missed = 0, DeadTimeFraction = 0.001,
        BytesWritten = 4096, DeviceState = "ok", Dropped = 0, TimeNs = T0 + 1,
    }.Encode, events);

    public static byte[] SlowControl() => Encode(new SlowControlMessage
    {
        TimeNs = T0 + 2, Device = "magnet", Quantity = "current", Value = 12.345, Unit = "A",
    }.Encode, 1);

    public static byte[] Alarm() => Encode(new AlarmMessage
    {
        TimeNs = T0 + 3, Source = "daq", Severity = AlarmSeverity.Warning, Code = "trigger-rate-low", Message = "trigger rate 3.9 Hz is below 4 Hz",
    }.Encode, 1);

    public static byte[] Fit(uint run) => Encode(new FitMessage
    {
        Run = run, TimeNs = T0 + 4, Lambda = 1.234, LambdaError = 0.056, Converged = true, Chi2 = 11.5, Ndf = 9, PValue = 0.24,
        Parameters = new Dictionary<string, object?> { ["gain_v"] = 0.0123 },
    }.Encode, 1);

    public static byte[] RunEnd(uint run, ulong events) => Encode(new RunEndMessage
    {
        Run = run, TimeNs = T0 + 10_000_000_000, Events = events, Missed = 2, Reason = "disk full",
    }.Encode, 1);

    private static byte[] ToBytes(short[] codes)
    {
        var bytes = new byte[codes.Length * 2];
        for (int i = 0; i < codes.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), codes[i]);
        return bytes;
    }
}
