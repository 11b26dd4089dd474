using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// Reads a <c>.bdq</c> run file record by record, checking every CRC, up to the last whole record, then says
/// why it stopped (<see cref="EndState"/>, <see cref="EndOffset"/>, <see cref="EndDescription"/>). A damaged or
/// cut-off file is an end state, never an exception. Files are memory-mapped and records are slices of the
/// mapping, so reading allocates nothing per record and runs near the speed of the page cache; a declared
/// length is checked against the file and against <see cref="RunFileFormat.MaxPayloadLength"/> before it is
/// used. Payloads stay valid until <see cref="Dispose"/>: copy what must outlive the reader.
/// </summary>
/// <example>
/// <code>
/// using var reader = RunFileReader.Open(path);
/// while (reader.TryRead(out var record)) Handle(record.Topic, record.Payload);
/// if (reader.EndState != RunFileEndState.CleanEnd) log.Warning("{File}: {Why}", path, reader.EndDescription);
/// </code>
/// </example>
public sealed class RunFileReader : IDisposable
{
    private readonly MappedFileMemory? _mapping;
    private readonly TopicTable _topics = new();
    private ReadOnlyMemory<byte> _window;
    private long _windowStart;
    private long _position;

    private RunFileReader(string name, long length, ReadOnlyMemory<byte> memory, MappedFileMemory? mapping)
    {
        Name = name;
        Length = length;
        _mapping = mapping;
        _window = memory;
        CheckMagic();
    }

    /// <summary>Opens a run file for reading (shared with a writer that may still be appending to it).</summary>
    /// <remarks>A file that is missing or cannot be opened is an exception; everything about its contents is an end state.</remarks>
    public static RunFileReader Open(string path) => Open(path, MappedFileMemory.MaxWindowLength);

    /// <summary>Opens with mapping windows of <paramref name="windowLength"/> bytes (at least the largest record).</summary>
    internal static RunFileReader Open(string path, int windowLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        try
        {
            long length = stream.Length;
            // An empty file cannot be mapped; the few bytes of one shorter than the magic need no mapping either.
            if (length < RunFileFormat.MagicLength)
            {
                var bytes = new byte[length];
                stream.ReadExactly(bytes);
                stream.Dispose();
                return new RunFileReader(fullPath, length, bytes, mapping: null);
            }
            var mapping = new MappedFileMemory(stream, length, windowLength);
            return new RunFileReader(fullPath, length, mapping.WindowAt(0), mapping);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a run file held in memory (a received file, a test case); the records are slices of <paramref name="bytes"/>.</summary>
    public static RunFileReader FromMemory(ReadOnlyMemory<byte> bytes, string name = "(memory)") =>
        new(name, bytes.Length, bytes, mapping: null);

    /// <summary>The file's path, or the name given to <see cref="FromMemory"/>.</summary>
    public string Name { get; }

    /// <summary>File length in bytes when it was opened.</summary>
    public long Length { get; }

    /// <summary>Offset of the next record to read.</summary>
    public long Position => _position;

    /// <summary>Records delivered so far.</summary>
    public long RecordsRead { get; private set; }

    /// <summary>Topic of the last record delivered, or null before the first.</summary>
    public string? LastTopic { get; private set; }

    /// <summary>Whether the last record delivered is <c>run.end</c>: together with <see cref="RunFileEndState.CleanEnd"/>, the run ended cleanly.</summary>
    public bool EndsWithRunEnd => ReferenceEquals(LastTopic, Topics.RunEnd);

    /// <summary>Why reading stopped; <see cref="RunFileEndState.Reading"/> until <see cref="TryRead"/> returns false.</summary>
    public RunFileEndState EndState { get; private set; }

    /// <summary>Where reading stopped: the file length for a clean end, otherwise the offset of the offending record (0 for the magic).</summary>
    public long EndOffset { get; private set; }

    /// <summary>One sentence for logs and <c>verify</c>: what was found at <see cref="EndOffset"/> and what was expected.</summary>
    public string EndDescription { get; private set; } = "";

    /// <summary>Reads the next whole, CRC-checked record; false at the end of the file or at the first damaged record (see <see cref="EndState"/>).</summary>
    // Fully optimised from the first call: a replay's first 100 ms would otherwise run unoptimised code (tiering delay).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRead(out RunFileRecord record)
    {
        record = default;
        if (EndState != RunFileEndState.Reading) return false;

        long offset = _position;
        long remaining = Length - offset;
        if (remaining == 0) return StopAtCleanEnd();
        if (remaining < RunFileFormat.RecordHeaderLength) return StopInsideHeader(offset, remaining);

        ReadOnlySpan<byte> header = Slice(offset, RunFileFormat.RecordHeaderLength).Span;
        uint payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(header[RunFileFormat.LengthFieldOffset..]);
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[RunFileFormat.CrcFieldOffset..]);
        int topicLength = header[RunFileFormat.TopicLengthFieldOffset];

        // Checked before the length is used for anything, so a damaged field can never make us touch or allocate memory.
        if (payloadLength > RunFileFormat.MaxPayloadLength) return StopOversize(offset, payloadLength);
        long recordLength = RunFileFormat.RecordHeaderLength + topicLength + (long)payloadLength;
        if (recordLength > remaining) return StopPastEnd(offset, recordLength, topicLength, payloadLength, remaining);

        ReadOnlyMemory<byte> whole = Slice(offset, (int)recordLength);
        ReadOnlySpan<byte> span = whole.Span;
        uint computedCrc = Crc32C.Compute(span[RunFileFormat.TopicLengthFieldOffset..]);
        ReadOnlySpan<byte> topicBytes = span.Slice(RunFileFormat.RecordHeaderLength, topicLength);
        if (computedCrc != storedCrc) return StopCrcMismatch(offset, topicBytes, payloadLength, storedCrc, computedCrc);
        if (!RunFileFormat.IsValidTopic(topicBytes)) return StopInvalidTopic(offset, topicBytes);

        string topic = _topics.Get(topicBytes);
        record = new RunFileRecord(offset, topic, whole[(RunFileFormat.RecordHeaderLength + topicLength)..]);
        _position = offset + recordLength;
        RecordsRead++;
        LastTopic = topic;
        return true;
    }

    /// <summary>Whole records stepped over with <see cref="TrySkipDamagedRecord"/>.</summary>
    public long SkippedRecords { get; private set; }

    /// <summary>
    /// After a <see cref="RunFileEndState.CrcMismatch"/>, steps over the damaged record by its length field and
    /// resumes reading behind it, so one damaged record does not cost the rest of the run; false in any other
    /// state. The next <see cref="TryRead"/> CRC-checks whatever it finds there: a damaged length field shows up
    /// as a further damaged record, never as wrong data. The caller keeps the damage it skipped
    /// (<see cref="EndOffset"/>, <see cref="EndDescription"/>) before calling this, since reading on resets them.
    /// </summary>
    public bool TrySkipDamagedRecord()
    {
        if (EndState != RunFileEndState.CrcMismatch) return false;
        long offset = EndOffset;
        ReadOnlySpan<byte> header = Slice(offset, RunFileFormat.RecordHeaderLength).Span;
        uint payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(header[RunFileFormat.LengthFieldOffset..]);
        int topicLength = header[RunFileFormat.TopicLengthFieldOffset];
        // TryRead only reports a CRC mismatch for a record that lies wholly within the file, so this stays inside it.
        _position = offset + RunFileFormat.RecordHeaderLength + topicLength + (long)payloadLength;
        SkippedRecords++;
        EndState = RunFileEndState.Reading;
        EndOffset = 0;
        EndDescription = "";
        return true;
    }

    /// <summary>Releases the mapping; payloads handed out before are no longer readable.</summary>
    public void Dispose() => _mapping?.Dispose();

    /// <summary><paramref name="count"/> bytes at <paramref name="offset"/>; the caller has checked they are in the file.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlyMemory<byte> Slice(long offset, int count)
    {
        long relative = offset - _windowStart;
        if (relative + count > _window.Length)
        {
            // Only a mapped file over 1 GiB needs more than one window; a window always holds a whole record.
            _window = _mapping!.WindowAt(offset);
            _windowStart = offset;
            relative = 0;
        }
        return _window.Slice((int)relative, count);
    }

    private void CheckMagic()
    {
        ReadOnlySpan<byte> expected = RunFileFormat.Magic;
        ReadOnlySpan<byte> found = _window.Span[..(int)Math.Min(Length, RunFileFormat.MagicLength)];
        if (found.SequenceEqual(expected))
        {
            _position = RunFileFormat.MagicLength;
            return;
        }
        if (found.Length < RunFileFormat.MagicLength && expected.StartsWith(found))
        {
            Stop(RunFileEndState.TruncatedHeader, 0,
                $"the file has only {Length} bytes; a run file starts with the {RunFileFormat.MagicLength}-byte magic '{Encoding.ASCII.GetString(expected)}'");
            return;
        }
        string shown = $"'{Printable(found)}' (hex {Convert.ToHexString(found)})";
        if (found.Length == RunFileFormat.MagicLength && found.StartsWith(RunFileFormat.MagicPrefix)
            && char.IsAsciiDigit((char)found[6]) && char.IsAsciiDigit((char)found[7]))
        {
            Stop(RunFileEndState.BadMagic, 0,
                $"file version {(char)found[6]}{(char)found[7]} is not supported: found magic {shown}, expected '{Encoding.ASCII.GetString(expected)}' (this reader reads version {RunFileFormat.Version})");
            return;
        }
        Stop(RunFileEndState.BadMagic, 0,
            $"not a BeamDAQ run file: it starts with {shown}, expected the magic '{Encoding.ASCII.GetString(expected)}'");
    }

    // The failure paths live out of line so TryRead, the per-record hot path, stays small.

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool StopInsideHeader(long offset, long remaining) => Stop(RunFileEndState.TruncatedRecord, offset,
        $"the file ends inside the record at offset {offset}: {remaining} of its {RunFileFormat.RecordHeaderLength} header bytes are present " +
        "(cut short by a crash while writing, or still being written)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool StopOversize(long offset, uint payloadLength) => Stop(RunFileEndState.OversizeRecord, offset,
        $"the record at offset {offset} declares a payload of {payloadLength} bytes; at most {RunFileFormat.MaxPayloadLength} are allowed (its length field is damaged)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool StopPastEnd(long offset, long recordLength, int topicLength, uint payloadLength, long remaining) => Stop(RunFileEndState.TruncatedRecord, offset,
        $"the record at offset {offset} declares {recordLength} bytes (topic {topicLength}, payload {payloadLength}) but only {remaining} remain in the file " +
        "(cut short by a crash while writing, still being written, or a damaged length field)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool StopCrcMismatch(long offset, ReadOnlySpan<byte> topic, uint payloadLength, uint storedCrc, uint computedCrc) => Stop(RunFileEndState.CrcMismatch, offset,
        $"CRC mismatch in the record at offset {offset} ({DescribeTopic(topic)}, {payloadLength} payload bytes): " +
        $"stored 0x{storedCrc:X8}, computed 0x{computedCrc:X8}; the record or its length field is damaged");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool StopInvalidTopic(long offset, ReadOnlySpan<byte> topic) => Stop(RunFileEndState.InvalidTopic, offset,
        $"the record at offset {offset} has topic {DescribeTopic(topic)}; a topic is 1–{RunFileFormat.MaxTopicLength} printable ASCII characters without spaces");

    private bool StopAtCleanEnd()
    {
        string last = LastTopic switch
        {
            null => "no records after the magic",
            Topics.RunEnd => $"{RecordsRead} records; the last is run.end",
            _ => $"{RecordsRead} records; the last is {LastTopic}, not run.end, so the run did not end cleanly",
        };
        return Stop(RunFileEndState.CleanEnd, Length, $"clean end at offset {Length} after {last}");
    }

    private bool Stop(RunFileEndState state, long offset, string description)
    {
        EndState = state;
        EndOffset = offset;
        EndDescription = description;
        return false;
    }

    private static string DescribeTopic(ReadOnlySpan<byte> topic) =>
        RunFileFormat.IsValidTopic(topic) ? $"topic '{Encoding.ASCII.GetString(topic)}'" : $"topic bytes [{Convert.ToHexString(topic)}]";

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes) text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        return text.ToString();
    }
}
