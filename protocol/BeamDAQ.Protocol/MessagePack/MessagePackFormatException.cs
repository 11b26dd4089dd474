namespace BeamDAQ.Protocol.MessagePack;

/// <summary>
/// Malformed or unexpected MessagePack input. <see cref="Offset"/> is the byte offset, within the buffer
/// being decoded, of the value that could not be read.
/// </summary>
public sealed class MessagePackFormatException : FormatException
{
    public MessagePackFormatException(long offset, string reason)
        : base($"{reason} (at byte offset {offset})")
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Byte offset of the offending value within the decoded buffer.</summary>
    public long Offset { get; }

    /// <summary>The message without the offset suffix.</summary>
    public string Reason { get; }
}
