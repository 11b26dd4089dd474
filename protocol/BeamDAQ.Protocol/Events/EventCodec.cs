using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Events;

/// <summary>
/// The <c>evt</c> map of DESIGN §4 through the MessagePack codec. Decoding slices the sample bins out of the
/// payload; encoding copies each channel's samples exactly once, into the output buffer.
/// Unknown keys are skipped (the format allows extra keys); a missing required key is a
/// <see cref="MessagePackFormatException"/> naming it.
/// </summary>
public static class EventCodec
{
    /// <summary>Encodes <paramref name="e"/> with its own <see cref="DaqEvent.Sequence"/> and <see cref="DaqEvent.TopicSequence"/>.</summary>
    public static void Encode(DaqEvent e, MessagePackWriter writer) => Encode(e, e.Sequence, e.TopicSequence, writer);

    /// <summary>
    /// Encodes <paramref name="e"/> stamped with <paramref name="seq"/> and <paramref name="tseq"/> in place of the
    /// event's own numbers, so a publisher stamps without copying the event. <paramref name="tseq"/> 0 leaves the key out.
    /// </summary>
    public static void Encode(DaqEvent e, ulong seq, ulong tseq, MessagePackWriter writer)
    {
        var channels = e.Channels;
        WriteHeader(writer, seq, tseq, e.Run, e.Trigger, e.TimeNs, e.Flags, e.SampleRate, e.PreSamples, channels.Count);
        for (int i = 0; i < channels.Count; i++) // an index loop: foreach over the interface would box an enumerator per event
        {
            var c = channels[i];
            WriteChannelHeader(writer, c.Id, c.Range, c.Bits, c.Lsb, c.Offset);
            writer.WriteBinary(c.SampleBytes.Span);
        }
    }

    /// <summary>
    /// The event's keys up to and including the header of the <c>ch</c> array of <paramref name="channelCount"/>
    /// channels, each then written with <see cref="WriteChannelHeader"/> and its sample bin. One place for the key
    /// order and encodings, shared by this codec and the acquisition's encoder from the digitizer's buffers.
    /// </summary>
    public static void WriteHeader(MessagePackWriter writer, ulong seq, ulong tseq, ulong run, ulong trigger, long timeNs, EventFlags flags,
        double sampleRate, ulong preSamples, int channelCount)
    {
        writer.WriteMapHeader(tseq == 0 ? 9 : 10);
        writer.WriteKey("v"u8); writer.WriteInt64(SchemaVersion.Current);
        writer.WriteKey("seq"u8); writer.WriteUInt64(seq);
        if (tseq != 0) { writer.WriteKey("tseq"u8); writer.WriteUInt64(tseq); }
        writer.WriteKey("run"u8); writer.WriteUInt64(run);
        writer.WriteKey("trg"u8); writer.WriteUInt64(trigger);
        writer.WriteKey("t_ns"u8); writer.WriteInt64(timeNs);
        writer.WriteKey("flags"u8); writer.WriteUInt64((uint)flags);
        writer.WriteKey("fs"u8); writer.WriteDouble(sampleRate);
        writer.WriteKey("pre"u8); writer.WriteUInt64(preSamples);
        writer.WriteKey("ch"u8);
        writer.WriteArrayHeader(channelCount);
    }

    /// <summary>One channel's keys up to the <c>s</c> key; the caller writes the sample bin right after.</summary>
    public static void WriteChannelHeader(MessagePackWriter writer, int id, double range, int bits, double lsb, double offset)
    {
        writer.WriteMapHeader(6);
        writer.WriteKey("id"u8); writer.WriteInt64(id);
        writer.WriteKey("range"u8); writer.WriteDouble(range);
        writer.WriteKey("bits"u8); writer.WriteInt64(bits);
        writer.WriteKey("lsb"u8); writer.WriteDouble(lsb);
        writer.WriteKey("off"u8); writer.WriteDouble(offset);
        writer.WriteKey("s"u8);
    }

    /// <summary>Encodes into an array of exactly the encoded size, so the samples are copied once.</summary>
    public static byte[] EncodeToArray(DaqEvent e)
    {
        var writer = new MessagePackWriter(new byte[EncodedLength(e)]);
        Encode(e, writer);
        return writer.DetachExact();
    }

    /// <summary>The exact size <see cref="Encode(DaqEvent, MessagePackWriter)"/> writes for <paramref name="e"/>: the sum of its fields' encodings.</summary>
    public static int EncodedLength(DaqEvent e) => EncodedLength(e, e.Sequence, e.TopicSequence);

    /// <summary>The exact size <see cref="Encode(DaqEvent, ulong, ulong, MessagePackWriter)"/> writes.</summary>
    public static int EncodedLength(DaqEvent e, ulong seq, ulong tseq)
    {
        const int Float64 = 9; // code + IEEE 754 double
        int length = MessagePackWriter.ContainerHeaderLength(tseq == 0 ? 9 : 10)
            + Key("v") + MessagePackWriter.IntegerLength(SchemaVersion.Current)
            + Key("seq") + MessagePackWriter.IntegerLength(seq)
            + (tseq == 0 ? 0 : Key("tseq") + MessagePackWriter.IntegerLength(tseq))
            + Key("run") + MessagePackWriter.IntegerLength((ulong)e.Run)
            + Key("trg") + MessagePackWriter.IntegerLength(e.Trigger)
            + Key("t_ns") + MessagePackWriter.IntegerLength(e.TimeNs)
            + Key("flags") + MessagePackWriter.IntegerLength((ulong)(uint)e.Flags)
            + Key("fs") + Float64
            + Key("pre") + MessagePackWriter.IntegerLength((ulong)e.PreSamples)
            + Key("ch") + MessagePackWriter.ContainerHeaderLength(e.Channels.Count);
        var channels = e.Channels;
        for (int i = 0; i < channels.Count; i++)
        {
            var c = channels[i];
            length += MessagePackWriter.ContainerHeaderLength(6)
                + Key("id") + MessagePackWriter.IntegerLength(c.Id)
                + Key("range") + Float64
                + Key("bits") + MessagePackWriter.IntegerLength(c.Bits)
                + Key("lsb") + Float64
                + Key("off") + Float64
                + Key("s") + MessagePackWriter.BinaryLength(c.SampleBytes.Length);
        }
        return length;

        static int Key(string ascii) => MessagePackWriter.StringLength(ascii.Length);
    }

    /// <summary>Decodes an <c>evt</c> payload; channel samples are slices of <paramref name="payload"/>.</summary>
    public static DaqEvent Decode(ReadOnlyMemory<byte> payload)
    {
        var reader = new MessagePackReader(payload.Span);
        int keys = reader.ReadMapHeader();
        ulong seq = 0, tseq = 0, run = 0, trg = 0, flags = 0, pre = 0;
        long tNs = 0;
        double fs = double.NaN;
        List<ChannelRecord>? channels = null;
        Required seen = Required.None;
        for (int i = 0; i < keys; i++)
        {
            var key = reader.ReadStringUtf8();
            if (key.SequenceEqual("v"u8))
            {
                long v = reader.ReadInt64();
                if (v != SchemaVersion.Current)
                    throw new MessagePackFormatException(reader.Position, $"evt schema version v={v} is not supported (this reader knows v={SchemaVersion.Current})");
                seen |= Required.V;
            }
            else if (key.SequenceEqual("seq"u8)) { seq = reader.ReadUInt64(); seen |= Required.Seq; }
            else if (key.SequenceEqual("tseq"u8)) tseq = reader.ReadUInt64(); // optional: not every sender counts per topic
            else if (key.SequenceEqual("run"u8)) { run = reader.ReadUInt64(); seen |= Required.Run; }
            else if (key.SequenceEqual("trg"u8)) { trg = reader.ReadUInt64(); seen |= Required.Trg; }
            else if (key.SequenceEqual("t_ns"u8)) { tNs = reader.ReadInt64(); seen |= Required.TNs; }
            else if (key.SequenceEqual("flags"u8)) { flags = reader.ReadUInt64(); seen |= Required.Flags; }
            else if (key.SequenceEqual("fs"u8)) { fs = reader.ReadDouble(); seen |= Required.Fs; }
            else if (key.SequenceEqual("pre"u8)) { pre = reader.ReadUInt64(); seen |= Required.Pre; }
            else if (key.SequenceEqual("ch"u8)) { channels = ReadChannels(ref reader, payload); seen |= Required.Ch; }
            else reader.Skip();
        }

        if (seen != Required.All)
            throw new MessagePackFormatException(reader.Position, $"evt map lacks required key(s): {string.Join(", ", MissingKeys(seen))}");
        if (run > uint.MaxValue)
            throw new MessagePackFormatException(reader.Position, $"evt key 'run' = {run} exceeds the allowed maximum {uint.MaxValue}");
        if (pre > uint.MaxValue)
            throw new MessagePackFormatException(reader.Position, $"evt key 'pre' = {pre} exceeds the allowed maximum {uint.MaxValue}");
        if (flags > uint.MaxValue)
            throw new MessagePackFormatException(reader.Position, $"evt key 'flags' = {flags} exceeds the allowed maximum {uint.MaxValue}");

        return new DaqEvent((uint)run, trg, tNs, (EventFlags)flags, fs, (uint)pre, channels!) { Sequence = seq, TopicSequence = tseq };
    }

    private static List<ChannelRecord> ReadChannels(ref MessagePackReader reader, ReadOnlyMemory<byte> payload)
    {
        int count = reader.ReadArrayHeader();
        if (count > 4)
            throw new MessagePackFormatException(reader.Position, $"evt key 'ch' has {count} channels; allowed 0–4");
        var channels = new List<ChannelRecord>(count);
        int seenIds = 0;
        for (int i = 0; i < count; i++)
        {
            int start = reader.Position;
            int keys = reader.ReadMapHeader();
            long id = -1, bits = 0;
            double range = double.NaN, lsb = double.NaN, off = 0;
            ReadOnlyMemory<byte> samples = default;
            bool haveSamples = false;
            for (int k = 0; k < keys; k++)
            {
                var key = reader.ReadStringUtf8();
                if (key.SequenceEqual("id"u8)) id = reader.ReadInt64();
                else if (key.SequenceEqual("range"u8)) range = reader.ReadDouble();
                else if (key.SequenceEqual("bits"u8)) bits = reader.ReadInt64();
                else if (key.SequenceEqual("lsb"u8)) lsb = reader.ReadDouble();
                else if (key.SequenceEqual("off"u8)) off = reader.ReadDouble();
                else if (key.SequenceEqual("s"u8))
                {
                    var (offset, length) = reader.ReadBinaryBounds();
                    if ((length & 1) != 0)
                        throw new MessagePackFormatException(offset, $"evt channel sample bin has {length} bytes; must be a whole number of int16 values");
                    samples = payload.Slice(offset, length);
                    haveSamples = true;
                }
                else reader.Skip();
            }
            if (id is < 1 or > 4)
                throw new MessagePackFormatException(start, $"evt channel key 'id' = {id}; allowed 1–4");
            if (!haveSamples || double.IsNaN(lsb) || double.IsNaN(range))
                throw new MessagePackFormatException(start, "evt channel map lacks one of the required keys 'range', 'lsb', 's'");
            if (bits is < 0 or > 64)
                throw new MessagePackFormatException(start, $"evt channel {id} key 'bits' = {bits}; allowed 0–64");
            if ((seenIds & (1 << (int)id)) != 0)
                throw new MessagePackFormatException(start, $"evt channel id {id} appears twice");
            seenIds |= 1 << (int)id;
            channels.Add(new ChannelRecord((int)id, range, (int)bits, lsb, off, samples));
        }
        return channels;
    }

    [Flags]
    private enum Required
    {
        None = 0, V = 1, Seq = 2, Run = 4, Trg = 8, TNs = 16, Flags = 32, Fs = 64, Pre = 128, Ch = 256,
        All = V | Seq | Run | Trg | TNs | Flags | Fs | Pre | Ch,
    }

    private static IEnumerable<string> MissingKeys(Required seen)
    {
        (Required Bit, string Name)[] keys =
        [
            (Required.V, "v"), (Required.Seq, "seq"), (Required.Run, "run"), (Required.Trg, "trg"), (Required.TNs, "t_ns"),
            (Required.Flags, "flags"), (Required.Fs, "fs"), (Required.Pre, "pre"), (Required.Ch, "ch"),
        ];
        return keys.Where(k => (seen & k.Bit) == 0).Select(k => k.Name);
    }
}
