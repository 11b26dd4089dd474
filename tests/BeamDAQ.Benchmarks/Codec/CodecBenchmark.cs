using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Benchmarks.Codec;

/// <summary>
/// <c>codec</c>: encode and decode of a 4 × 10,000-sample <c>evt</c> with BeamDAQ's MessagePack codec, side by
/// side with Debian's python3-msgpack packing and unpacking the very same payload, in the same run.
/// </summary>
public sealed class CodecBenchmark : IBenchmarkSuite
{
    private const int Channels = 4;
    private const int SamplesPerChannel = 10_000;

    public string Name => "codec";

    public string Run(bool quick)
    {
        double seconds = quick ? 0.2 : 2.0;
        int rounds = quick ? 1 : 5;

        var e = CreateEvent();
        var writer = new MessagePackWriter();
        EventCodec.Encode(e, writer);
        byte[] payload = writer.WrittenSpan.ToArray();
        long checksum = 0;

        var rows = new List<Row>
        {
            Measure("BeamDAQ encode, reused writer", "1", seconds, rounds, () =>
            {
                writer.Reset();
                EventCodec.Encode(e, writer);
            }),
            Measure("BeamDAQ encode to a new exact-size byte[]", "1", seconds, rounds, () => checksum += EventCodec.EncodeToArray(e).Length),
            Measure("BeamDAQ decode (samples sliced)", "0", seconds, rounds, () => checksum += EventCodec.Decode(payload).Channels[3].Samples[0]),
            Measure("BeamDAQ untyped decode (MessagePackValue, bins copied)", "1", seconds, rounds, () => checksum += MessagePackValue.ReadMap(payload).Count),
        };

        var python = RunPythonPeer(payload, seconds, rounds);
        double pyEncode = python.GetProperty("encode_per_s").GetDouble();
        double pyDecode = python.GetProperty("decode_per_s").GetDouble();
        rows.Add(new Row("Python msgpack.packb", pyEncode, null, "2"));
        rows.Add(new Row("Python msgpack.unpackb", pyDecode, null, "1"));

        return Format(rows, payload.Length, rows[0].EventsPerSecond, rows[2].EventsPerSecond, pyEncode, pyDecode, python, quick, checksum);
    }

    private static DaqEvent CreateEvent()
    {
        var random = new Random(1);
        var channels = new List<ChannelRecord>();
        for (int id = 1; id <= Channels; id++)
        {
            var samples = new byte[SamplesPerChannel * 2];
            random.NextBytes(samples);
            channels.Add(new ChannelRecord(id, range: 0.8, bits: 14, lsb: 0.8 / 8192, offset: 0.0, samples));
        }
        return new DaqEvent(run: 12, trigger: 1, timeNs: 1_718_000_000_000_000_000, EventFlags.None, sampleRate: 1e9, preSamples: 2000, channels) { Sequence = 1 };
    }

    private static Row Measure(string name, string copies, double seconds, int rounds, Action operation)
    {
        Rate(operation, seconds / 4); // warm-up: tiering and PGO settle before the timed rounds
        var rates = new List<double>();
        long allocated = 0, operations = 0;
        for (int r = 0; r < rounds; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var (rate, count) = Rate(operation, seconds);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            operations += count;
            rates.Add(rate);
        }
        rates.Sort();
        return new Row(name, rates[rates.Count / 2], (double)allocated / operations, copies);
    }

    private static (double Rate, long Count) Rate(Action operation, double seconds)
    {
        const int batch = 100; // read the clock rarely
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < batch; i++) operation();
            count += batch;
        }
        return (count / clock.Elapsed.TotalSeconds, count);
    }

    private static JsonElement RunPythonPeer(byte[] payload, double seconds, int rounds)
    {
        string file = Path.Combine(Path.GetTempPath(), $"beamdaq-codec-{Environment.ProcessId}.msgpack");
        File.WriteAllBytes(file, payload);
        try
        {
            return PythonPeer.Run("codec_peer.py", [file, seconds, rounds]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Format(List<Row> rows, int payloadBytes, double encode, double decode, double pyEncode, double pyDecode, JsonElement python, bool quick, long checksum)
    {
        var md = new StringBuilder();
        md.AppendLine("## MessagePack codec (`codec`)");
        md.AppendLine();
        md.AppendLine($"One `evt` of {Channels} channels × {SamplesPerChannel:N0} int16 samples ({payloadBytes:N0} bytes on the wire), encoded and decoded " +
                      $"by BeamDAQ and by Python {python.GetProperty("python").GetString()} with msgpack {python.GetProperty("msgpack").GetString()} " +
                      $"(`packb(evt, use_bin_type=True)` / `unpackb`) on the same payload in the same run; median of {(quick ? 1 : 5)} rounds" +
                      $"{(quick ? " (quick smoke run: figures are rough)" : "")}. " +
                      $"Python's `packb` reproduces BeamDAQ's bytes exactly: {(python.GetProperty("identical").GetBoolean() ? "yes" : "NO")}.");
        md.AppendLine();
        md.AppendLine("| Path | events/s | MB/s | allocated/event | sample copies |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            string allocated = row.AllocatedPerEvent is { } a ? $"{a:N0} B" : "n/a";
            md.AppendLine(FormattableString.Invariant($"| {row.Name} | {row.EventsPerSecond:N0} | {row.EventsPerSecond * payloadBytes / 1e6:N0} | {allocated} | {row.SampleCopies} |"));
        }
        md.AppendLine();
        md.AppendLine("Targets (BeamDAQ at least Python's events/s; samples copied once on encode, never on decode):");
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"- encode: {encode:N0}/s vs Python {pyEncode:N0}/s = {encode / pyEncode:F2}× — {(encode >= pyEncode ? "met" : "NOT met")}"));
        md.AppendLine(FormattableString.Invariant($"- decode: {decode:N0}/s vs Python {pyDecode:N0}/s = {decode / pyDecode:F2}× — {(decode >= pyDecode ? "met" : "NOT met")}"));
        md.AppendLine();
        md.AppendLine("Reproduce: `dotnet build tests/BeamDAQ.Benchmarks -c Release && dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll codec`");
        GC.KeepAlive(checksum);
        return md.ToString().TrimEnd();
    }

    private sealed record Row(string Name, double EventsPerSecond, double? AllocatedPerEvent, string SampleCopies);
}
