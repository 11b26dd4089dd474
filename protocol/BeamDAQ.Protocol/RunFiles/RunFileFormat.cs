using System.Runtime.CompilerServices;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// The byte layout of a <c>.bdq</c> run file (DESIGN §4, docs/format.md). Public interface: analysts' scripts
/// parse these bytes, so nothing here changes without a new magic.
/// <code>
/// file   = magic record*
/// magic  = "BDQRUN01"                       8 ASCII bytes
/// record = length    u32 LE                 payload length in bytes
///          crc       u32 LE                 CRC-32C over topicLen, topic and payload
///          topicLen  u8                     1..255
///          topic     topicLen ASCII bytes   e.g. "evt"
///          payload   length bytes           the MessagePack map exactly as published
/// </code>
/// </summary>
public static class RunFileFormat
{
    /// <summary>The 8 bytes every run file starts with; the last two are the format version.</summary>
    public static ReadOnlySpan<byte> Magic => "BDQRUN01"u8;

    public const int MagicLength = 8;

    /// <summary>The version this code reads and writes (the last two magic characters).</summary>
    public const string Version = "01";

    /// <summary>The part of the magic that names the format, before the version digits.</summary>
    public static ReadOnlySpan<byte> MagicPrefix => "BDQRUN"u8;

    public const int LengthFieldOffset = 0;
    public const int CrcFieldOffset = 4;
    public const int TopicLengthFieldOffset = 8;

    /// <summary>Bytes before the topic: u32 length + u32 crc + u8 topic length.</summary>
    public const int RecordHeaderLength = sizeof(uint) + sizeof(uint) + sizeof(byte);

    public const int MaxTopicLength = byte.MaxValue;

    /// <summary>
    /// The largest payload a record may declare. The biggest real payload is an <c>evt</c> with four full
    /// 128 kSample channels (≈1 MiB); the limit leaves ample room for configurations while letting a reader
    /// reject a corrupt length before touching memory.
    /// </summary>
    public const int MaxPayloadLength = 64 << 20;

    /// <summary>Largest whole record: header + longest topic + largest payload.</summary>
    public const int MaxRecordLength = RecordHeaderLength + MaxTopicLength + MaxPayloadLength;

    /// <summary>Topics are 1–255 printable ASCII characters without spaces.</summary>
    public static bool IsValidTopicByte(byte b) => b is > 0x20 and < 0x7F;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValidTopic(ReadOnlySpan<byte> topic)
    {
        if (topic.Length is 0 or > MaxTopicLength) return false;
        foreach (byte b in topic)
            if (!IsValidTopicByte(b)) return false;
        return true;
    }
}
