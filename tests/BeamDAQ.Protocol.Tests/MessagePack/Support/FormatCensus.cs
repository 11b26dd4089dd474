using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.MessagePack.Support;

/// <summary>Lists the format families (e.g. "uint 16", "fixstr", "timestamp 96") used anywhere in an encoded value.</summary>
public static class FormatCensus
{
    public static void Collect(ReadOnlySpan<byte> bytes, ISet<string> families)
    {
        var reader = new MessagePackReader(bytes);
        while (!reader.End)
            Walk(ref reader, bytes, families);
    }

    private static void Walk(ref MessagePackReader reader, ReadOnlySpan<byte> bytes, ISet<string> families)
    {
        byte code = bytes[reader.Position];
        string described = MessagePackCode.Describe(code);
        families.Add(described[..described.IndexOf(" (", StringComparison.Ordinal)]);
        switch (reader.NextType)
        {
            case MessagePackType.Array:
                int count = reader.ReadArrayHeader();
                for (int i = 0; i < count; i++) Walk(ref reader, bytes, families);
                break;
            case MessagePackType.Map:
                int entries = reader.ReadMapHeader();
                for (int i = 0; i < 2 * entries; i++) Walk(ref reader, bytes, families);
                break;
            case MessagePackType.Extension:
                var data = reader.ReadExtension(out sbyte type);
                if (type == -1) families.Add($"timestamp {data.Length * 8}");
                break;
            default:
                reader.Skip();
                break;
        }
    }
}
