namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// One CRC-checked record of a run file. A struct, and the payload a slice of the reader's memory, so reading
/// allocates nothing per record; the payload stays valid until the reader is disposed.
/// </summary>
public readonly struct RunFileRecord(long offset, string topic, ReadOnlyMemory<byte> payload)
{
    /// <summary>Offset in the file of the record's first byte (its length field).</summary>
    public long Offset { get; } = offset;

    /// <summary>The topic; the same string instance for every record of a topic.</summary>
    public string Topic { get; } = topic;

    /// <summary>The payload: the MessagePack map exactly as it was published.</summary>
    public ReadOnlyMemory<byte> Payload { get; } = payload;

    /// <summary>Bytes the record occupies in the file (header, topic, payload).</summary>
    public int Length => RunFileFormat.RecordHeaderLength + Topic.Length + Payload.Length;

    /// <summary>Offset of the byte after the record: where the next record starts.</summary>
    public long EndOffset => Offset + Length;

    public override string ToString() => $"{Topic} record at offset {Offset} ({Payload.Length} payload bytes)";
}
