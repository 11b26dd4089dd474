namespace BeamDAQ.Protocol.RunFiles;

/// <summary>What <see cref="RunFileScanner"/> found in a run file: the figures <c>beamdaq-daq verify</c> prints.</summary>
public sealed record RunFileScanResult
{
    /// <summary>The file's path.</summary>
    public required string File { get; init; }

    /// <summary>File length in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>Whole, CRC-checked records.</summary>
    public required long Records { get; init; }

    /// <summary>Records per topic, in order of first appearance.</summary>
    public required IReadOnlyDictionary<string, long> RecordsByTopic { get; init; }

    /// <summary>The <c>run</c> number from the <c>run.begin</c> record (or the first event), when decodable.</summary>
    public ulong? Run { get; init; }

    /// <summary>Trigger number (<c>trg</c>) of the first and last <c>evt</c> whose payload could be decoded.</summary>
    public ulong? FirstTrigger { get; init; }

    public ulong? LastTrigger { get; init; }

    /// <summary><c>evt</c> records with a good CRC whose payload does not yield a trigger number (a writer bug, not disk damage).</summary>
    public long UndecodableEvents { get; init; }

    /// <summary>The first record is <c>run.begin</c>, as DESIGN §4 requires.</summary>
    public bool StartsWithRunBegin { get; init; }

    /// <summary>The last whole record is <c>run.end</c>.</summary>
    public bool EndsWithRunEnd { get; init; }

    public required RunFileEndState EndState { get; init; }

    public required long EndOffset { get; init; }

    public required string EndDescription { get; init; }

    /// <summary>Bytes from the start of the file to the end of the last whole record: what survives.</summary>
    public required long ReadableBytes { get; init; }

    /// <summary>A run file as it should be: no damage, starts with <c>run.begin</c>, ends with <c>run.end</c>.</summary>
    public bool IsComplete => EndState == RunFileEndState.CleanEnd && StartsWithRunBegin && EndsWithRunEnd;
}
