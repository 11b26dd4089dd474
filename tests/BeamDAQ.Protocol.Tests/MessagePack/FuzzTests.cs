using System.Diagnostics;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.Tests.MessagePack.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Protocol.Tests.MessagePack;

/// <summary>
/// Random and mutated byte strings into every decoder: the only failure allowed is a
/// <see cref="MessagePackFormatException"/> whose offset lies inside the input, allocation stays proportional to
/// the input (no declared length is trusted), and no input takes long (nothing is quadratic or unbounded).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 100_000;

    [Fact]
    public void WhenDecodersGetRandomAndMutatedBytesThenTheyOnlyRaiseFormatErrorsWithValidOffsetsAndBoundedAllocation()
    {
        var random = new Random(424242);
        var seeds = Seeds();
        var failures = new List<string>();
        long worstExcess = 0;
        var slowest = TimeSpan.Zero;
        int formatErrors = 0, accepted = 0;

        for (int i = 0; i < Inputs && failures.Count < 5; i++)
        {
            byte[] input = i % 4 == 0 ? RandomBytes(random) : Mutate(seeds[random.Next(seeds.Count)], random);
            var clock = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();

            foreach (var decoder in Decoders)
            {
                try
                {
                    decoder.Decode(input);
                    accepted++;
                }
                catch (MessagePackFormatException e) when (e.Offset >= 0 && e.Offset <= input.Length)
                {
                    formatErrors++;
                }
                catch (Exception e)
                {
                    failures.Add($"{decoder.Name} threw {e.GetType().Name} ({e.Message}) for {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 64)))}");
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // Untyped decoding may box every byte of the input into an object and a list or dictionary slot,
            // plus the exceptions; it must never allocate what a header merely claims.
            long allowed = 256L * input.Length + 64 * 1024;
            worstExcess = Math.Max(worstExcess, allocated - allowed);
            if (allocated > allowed)
                failures.Add($"allocated {allocated} bytes for a {input.Length}-byte input: {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 64)))}");
            if (clock.Elapsed > slowest) slowest = clock.Elapsed;
        }

        output.WriteLine($"{Inputs} inputs x {Decoders.Length} decoders: {accepted} decodes accepted, {formatErrors} format errors, slowest input {slowest.TotalMilliseconds:F2} ms");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"slowest input took {slowest.TotalMilliseconds} ms");
        Assert.True(formatErrors > 0 && accepted > 0, $"the inputs should include both valid and malformed ones ({accepted} accepted, {formatErrors} rejected)");
    }

    private static readonly (string Name, Action<byte[]> Decode)[] Decoders =
    [
        ("MessagePackValue.Read", input =>
        {
            var reader = new MessagePackReader(input);
            while (!reader.End) MessagePackValue.Read(ref reader);
        }),
        ("MessagePackReader.Skip", input =>
        {
            var reader = new MessagePackReader(input);
            while (!reader.End) reader.Skip();
        }),
        ("EventCodec.Decode", input => EventCodec.Decode(input)),
        ("MapMessage.ReadSequence", input => MapMessage.ReadSequence(input)),
    ];

    /// <summary>Valid encodings to mutate: small corpus values, events, and the other messages.</summary>
    private static List<byte[]> Seeds()
    {
        var writer = new MessagePackWriter();
        var seeds = new List<byte[]>();
        foreach (var c in ConformanceCorpus.Build())
        {
            byte[] bytes = c.Encode?.Invoke() ?? Encode(writer, c.Value);
            if (bytes.Length <= 2048) seeds.Add(bytes);
        }
        for (int seed = 0; seed < 8; seed++)
            seeds.Add(EventCodec.EncodeToArray(SampleEvents.Create(channels: 1 + seed % 4, samplesPerChannel: 4 * seed, seed)));
        return seeds;
    }

    private static byte[] Encode(MessagePackWriter writer, object? value)
    {
        writer.Reset();
        MessagePackValue.Write(writer, value);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations; m++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0: // flip one bit
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0: // an interesting byte: format boundaries and length extremes
                    byte[] interesting = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xc0, 0xc1, 0xc4, 0xc7, 0xc9, 0xd4, 0xd8, 0xdb, 0xdd, 0xdf, 0xe0, 0xff];
                    bytes[at] = interesting[random.Next(interesting.Length)];
                    break;
                case 2: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3: // insert random bytes
                    var extra = new byte[random.Next(1, 8)];
                    random.NextBytes(extra);
                    bytes.InsertRange(at, extra);
                    break;
                case 4 when bytes.Count > 0: // a huge declared length
                    for (int k = at; k < Math.Min(at + 4, bytes.Count); k++) bytes[k] = 0xff;
                    break;
                case 5 when bytes.Count > 1: // duplicate a slice (repeated keys, nested headers)
                    int length = random.Next(1, Math.Min(32, bytes.Count - at) + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default: // delete a byte
                    if (bytes.Count > 0) bytes.RemoveAt(at);
                    break;
            }
        }
        return [.. bytes];
    }
}
