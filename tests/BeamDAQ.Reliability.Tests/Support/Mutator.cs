using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// Damages valid inputs the ways hardware, networks and hostile peers do: flipped bits, bytes set to MessagePack
/// format codes, declared lengths of 4 GB, cut-off and spliced messages, and — one level up — well-formed maps whose
/// values have the wrong type, are missing, or carry a future schema version. The random source is injected, so every
/// failing input is reproducible from the seed.
/// </summary>
public sealed class Mutator(Random random)
{
    // Format codes that change how the rest of the input is framed: containers, long str/bin/ext, the unused 0xc1.
    private static readonly byte[] InterestingBytes =
    [
        0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9,
        0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd3, 0xd4, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
    ];

    // Headers that declare the largest lengths and counts the format allows.
    private static readonly byte[][] HugeHeaders =
    [
        [0xdb, 0xff, 0xff, 0xff, 0xff], // str 32 of 4 GiB
        [0xc6, 0xff, 0xff, 0xff, 0xff], // bin 32 of 4 GiB
        [0xc9, 0xff, 0xff, 0xff, 0xff, 0x05], // ext 32 of 4 GiB
        [0xdd, 0xff, 0xff, 0xff, 0xff], // array 32 of 2^32-1 elements
        [0xdf, 0xff, 0xff, 0xff, 0xff], // map 32 of 2^32-1 entries
        [0xdd, 0x7f, 0xff, 0xff, 0xff], // array 32 of 2^31-1 (int.MaxValue) elements
        [0xdc, 0xff, 0xff], // array 16 of 65535
        [0xde, 0xff, 0xff], // map 16 of 65535
        [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // uint 64 max
        [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], // int 64 min
        [0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1], // float 64 NaN
        [0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0], // float 64 +inf
    ];

    // Fresh instances per use: a shared container could end up inside itself.
    private static object?[] OddValues() =>
    [
        null, true, false, -1L, 0L, 1L << 40, long.MinValue, ulong.MaxValue, 0.5, -0.0, double.NaN, double.PositiveInfinity,
        double.MaxValue, "", "text", new string('x', 300), "\u0000\u00ff", new byte[] { 1, 2, 3 }, new byte[3], new List<object?>(),
        new List<object?> { 1L, "a", null }, new Dictionary<string, object?>(), new Dictionary<string, object?> { ["k"] = 1L },
        DateTimeOffset.UnixEpoch, new MessagePackExtension(5, [1, 2]),
    ];

    /// <summary>One to four byte-level mutations of <paramref name="seed"/>; <paramref name="other"/> is spliced in sometimes.</summary>
    public byte[] MutateBytes(byte[] seed, byte[] other)
    {
        var bytes = new List<byte>(seed);
        int rounds = 1 + random.Next(4);
        for (int r = 0; r < rounds; r++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(10))
            {
                case 0 when bytes.Count > 0: // bit flip
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0: // a format code
                    bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                    break;
                case 2 when bytes.Count > 0: // random byte
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 3: // cut short
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4: // delete a range
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                    break;
                case 5: // insert random bytes
                    bytes.InsertRange(at, RandomBytes(1 + random.Next(8)));
                    break;
                case 6: // a huge declared length or count
                {
                    var header = HugeHeaders[random.Next(HugeHeaders.Length)];
                    for (int i = 0; i < header.Length && at + i < bytes.Count; i++) bytes[at + i] = header[i];
                    break;
                }
                case 7 when bytes.Count > 0: // duplicate a range (repeated keys, nested repeats)
                {
                    int length = Math.Min(bytes.Count - at, 1 + random.Next(32));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                }
                case 8: // splice: our head, another message's tail
                    if (other.Length > 0)
                    {
                        int from = random.Next(other.Length);
                        bytes.RemoveRange(at, bytes.Count - at);
                        bytes.AddRange(other.AsSpan(from).ToArray());
                    }
                    break;
                default: // overwrite a big-endian length field near a header with a large value
                    if (at + 4 <= bytes.Count)
                    {
                        uint value = random.Next(2) == 0 ? uint.MaxValue : (uint)random.Next();
                        for (int i = 0; i < 4; i++) bytes[at + i] = (byte)(value >> (24 - 8 * i)); // big-endian, as MessagePack
                    }
                    break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>
    /// A well-formed MessagePack map with one to three changes of meaning: a key removed, a value of another type,
    /// an unknown key, a future schema version, a channel map damaged. Tests the typed layer, not the framing.
    /// </summary>
    public byte[] MutateStructure(byte[] seed)
    {
        var map = MessagePackValue.ReadMap(seed);
        int rounds = 1 + random.Next(3);
        for (int r = 0; r < rounds; r++)
        {
            var target = map;
            // Inside an evt's channel list, or a run.begin's nested configuration, half of the time.
            if (random.Next(2) == 0)
            {
                var nested = map.Values.OfType<Dictionary<string, object?>>()
                    .Concat(map.Values.OfType<List<object?>>().SelectMany(l => l.OfType<Dictionary<string, object?>>()))
                    .ToList();
                if (nested.Count > 0) target = nested[random.Next(nested.Count)];
            }
            var keys = target.Keys.ToList();
            switch (random.Next(6))
            {
                case 0 when keys.Count > 0:
                    target.Remove(keys[random.Next(keys.Count)]);
                    break;
                case 1:
                    target["v"] = random.Next(3) switch { 0 => 2L, 1 => 0L, _ => "1" };
                    break;
                case 2:
                    target["extra_" + random.Next(100)] = Odd();
                    break;
                default:
                    if (keys.Count > 0) target[keys[random.Next(keys.Count)]] = Odd();
                    break;
            }
        }
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, map);
        return writer.WrittenSpan.ToArray();
    }

    private object? Odd()
    {
        var values = OddValues();
        return values[random.Next(values.Length)];
    }

    /// <summary>Random bytes, most starting with a map header so that they get past the first check.</summary>
    public byte[] RandomMessage()
    {
        var bytes = RandomBytes(random.Next(0, 200));
        if (bytes.Length > 0 && random.Next(3) > 0) bytes[0] = (byte)(0x80 | random.Next(16));
        return bytes;
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
