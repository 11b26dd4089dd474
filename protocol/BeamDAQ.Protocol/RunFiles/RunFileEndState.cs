namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// Why a <see cref="RunFileReader"/> stopped. Every state but <see cref="Reading"/> comes with an offset
/// (<see cref="RunFileReader.EndOffset"/>) and a sentence (<see cref="RunFileReader.EndDescription"/>); all
/// records before that offset were delivered whole and CRC-checked.
/// </summary>
public enum RunFileEndState
{
    /// <summary>Not stopped yet.</summary>
    Reading = 0,

    /// <summary>The file ends exactly after a whole record (or after the magic, with no records).</summary>
    CleanEnd,

    /// <summary>
    /// The file ends inside a record: its header, topic or payload is cut short. The usual trace of a crash or
    /// kill while writing (or of reading a file that is still being written); every record before is intact.
    /// </summary>
    TruncatedRecord,

    /// <summary>A whole record whose CRC-32C does not match its bytes (or whose length field was damaged).</summary>
    CrcMismatch,

    /// <summary>The file does not start with <c>BDQRUN01</c>: not a run file, or a version this reader does not know.</summary>
    BadMagic,

    /// <summary>The file ends inside the 8-byte magic (an empty file, for example).</summary>
    TruncatedHeader,

    /// <summary>A record declares a payload larger than <see cref="RunFileFormat.MaxPayloadLength"/>; rejected before reading it.</summary>
    OversizeRecord,

    /// <summary>A record with a correct CRC whose topic is not 1–255 printable ASCII characters (a foreign writer).</summary>
    InvalidTopic,
}
