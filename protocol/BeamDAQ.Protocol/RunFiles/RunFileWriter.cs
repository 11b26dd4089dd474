using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// Writes a <c>.bdq</c> run file (layout in <see cref="RunFileFormat"/>): creates it (never over an existing
/// file), appends records, and hands them to the OS in writes of whole records — as soon as the buffer fills,
/// and at the latest one flush interval (≤ 1 s) after a record was appended, by a check on every
/// <see cref="Append(string, ReadOnlySpan{byte})"/> and by a timer while the writer is idle. Once a record is
/// with the OS it survives a crash or kill of the process; <see cref="Dispose"/> also asks the OS to put the
/// file on the disk.
/// Thread-safe: the acquisition thread appends while the idle timer may flush.
/// </summary>
public sealed class RunFileWriter : IDisposable
{
    private readonly object _gate = new();
    private readonly IRunFileSink _sink;
    private readonly RunFileWriterOptions _options;
    private readonly TimeSpan _dueAge;
    private readonly Timer? _idleTimer;

    private byte[] _buffer;
    private int _bufferedBytes;
    private long _bufferedRecords;
    private DateTimeOffset _oldestBufferedAt;
    private long _flushedBytes;
    private long _flushedRecords;
    private long _droppedRecords;
    private readonly Dictionary<string, long> _droppedByTopic = new(StringComparer.Ordinal);
    // A failure met by the idle timer, which has no caller to throw to: raised by the next call instead.
    private IOException? _deferredFailure;
    private bool _disposed;

    private RunFileWriter(IRunFileSink sink, string path, RunFileWriterOptions options)
    {
        _sink = sink;
        _options = options;
        Path = path;
        // The timer looks every tenth of the interval, so flushing at 90 % of it keeps every record within it.
        var timerPeriod = options.FlushInterval / 10;
        _dueAge = options.FlushInterval - timerPeriod;
        _buffer = new byte[options.BufferSize];

        RunFileFormat.Magic.CopyTo(_buffer);
        _bufferedBytes = RunFileFormat.MagicLength;
        _oldestBufferedAt = options.Clock.UtcNow;
        lock (_gate) FlushLocked();

        if (options.IdleFlushTimer)
            _idleTimer = new Timer(static state => ((RunFileWriter)state!).FlushIfDueFromTimer(), this, timerPeriod, timerPeriod);
    }

    /// <summary>
    /// Creates a new run file and writes its magic. Never overwrites: an existing file is an
    /// <see cref="IOException"/> naming it; a missing or unwritable directory is an error naming the directory.
    /// </summary>
    public static RunFileWriter Create(string path, RunFileWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= RunFileWriterOptions.Default;
        options.Validate();
        string fullPath = System.IO.Path.GetFullPath(path);
        var sink = new FileRunFileSink(OpenNew(fullPath));
        try
        {
            return new RunFileWriter(sink, fullPath, options);
        }
        catch
        {
            // Nothing usable was written (not even the magic): leave no empty file that would block a retry.
            sink.Dispose();
            TryDelete(fullPath);
            throw;
        }
    }

    /// <summary>A writer over any sink: tests use it to simulate a disk that fills up.</summary>
    internal static RunFileWriter CreateOver(IRunFileSink sink, string path, RunFileWriterOptions options)
    {
        options.Validate();
        return new RunFileWriter(sink, path, options);
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>Bytes accepted so far (magic plus every appended record that was not dropped): the file's length once flushed.</summary>
    public long BytesWritten { get { lock (_gate) return _flushedBytes + _bufferedBytes; } }

    /// <summary>Records accepted so far and not dropped.</summary>
    public long RecordsWritten { get { lock (_gate) return _flushedRecords + _bufferedRecords; } }

    /// <summary>Bytes handed to the OS: they survive a crash of this process.</summary>
    public long BytesFlushed { get { lock (_gate) return _flushedBytes; } }

    /// <summary>Records handed to the OS: they survive a crash of this process.</summary>
    public long RecordsFlushed { get { lock (_gate) return _flushedRecords; } }

    /// <summary>Records lost because the disk was full (each loss was also raised as <see cref="RunFileDiskFullException"/>).</summary>
    public long RecordsDropped { get { lock (_gate) return _droppedRecords; } }

    /// <summary>Of <see cref="RecordsDropped"/>, those with this topic (e.g. how many events the file lacks).</summary>
    public long RecordsDroppedWithTopic(string topic)
    {
        lock (_gate) return _droppedByTopic.GetValueOrDefault(topic);
    }

    /// <summary>Appends one record. The topic is 1–255 printable ASCII characters; the payload at most <see cref="RunFileFormat.MaxPayloadLength"/> bytes.</summary>
    /// <exception cref="RunFileDiskFullException">The disk is full; the file keeps every record written before.</exception>
    public void Append(string topic, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length is 0 or > RunFileFormat.MaxTopicLength)
            throw new ArgumentException($"run-file topic '{topic}' has {topic.Length} characters; allowed 1–{RunFileFormat.MaxTopicLength}", nameof(topic));
        foreach (char c in topic)
            if (c > 0x7F || !RunFileFormat.IsValidTopicByte((byte)c))
                throw new ArgumentException($"run-file topic '{topic}' contains '{c}' (U+{(int)c:X4}); allowed are printable ASCII characters without spaces", nameof(topic));

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowDeferredFailureLocked(appendingTopic: topic);
            Span<byte> topicBytes = BeginRecordLocked(topic.Length, payload.Length);
            for (int i = 0; i < topic.Length; i++) topicBytes[i] = (byte)topic[i];
            EndRecordLocked(topic.Length, payload);
        }
    }

    /// <summary>Appends one record whose topic is already ASCII bytes (replay, file copies).</summary>
    public void Append(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
    {
        if (!RunFileFormat.IsValidTopic(topic))
            throw new ArgumentException($"run-file topic bytes [{Convert.ToHexString(topic)}] are not 1–{RunFileFormat.MaxTopicLength} printable ASCII characters without spaces", nameof(topic));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_deferredFailure is not null) ThrowDeferredFailureLocked(appendingTopic: System.Text.Encoding.ASCII.GetString(topic));
            topic.CopyTo(BeginRecordLocked(topic.Length, payload.Length));
            EndRecordLocked(topic.Length, payload);
        }
    }

    /// <summary>Reserves the record in the buffer, writes its length and topic-length fields, and returns where the topic goes.</summary>
    private Span<byte> BeginRecordLocked(int topicLength, int payloadLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (payloadLength > RunFileFormat.MaxPayloadLength)
            throw new ArgumentOutOfRangeException("payload", payloadLength, $"a run-file record payload may have at most {RunFileFormat.MaxPayloadLength} bytes");

        int recordLength = RunFileFormat.RecordHeaderLength + topicLength + payloadLength;
        if (_bufferedBytes + recordLength > _buffer.Length)
        {
            // Grow rather than flush first: a buffer only ever holds whole records, so one write = whole records.
            Array.Resize(ref _buffer, (int)Math.Min(Math.Max(2L * _buffer.Length, _bufferedBytes + (long)recordLength), Array.MaxLength));
        }
        if (_bufferedBytes == 0) _oldestBufferedAt = _options.Clock.UtcNow;

        Span<byte> record = _buffer.AsSpan(_bufferedBytes, recordLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[RunFileFormat.LengthFieldOffset..], (uint)payloadLength);
        record[RunFileFormat.TopicLengthFieldOffset] = (byte)topicLength;
        return record.Slice(RunFileFormat.RecordHeaderLength, topicLength);
    }

    /// <summary>Copies the payload, seals the record with its CRC and flushes when the buffer is full or the oldest record is due.</summary>
    private void EndRecordLocked(int topicLength, ReadOnlySpan<byte> payload)
    {
        int recordLength = RunFileFormat.RecordHeaderLength + topicLength + payload.Length;
        Span<byte> record = _buffer.AsSpan(_bufferedBytes, recordLength);
        payload.CopyTo(record[(RunFileFormat.RecordHeaderLength + topicLength)..]);
        // The CRC covers everything after the crc field: topic length, topic, payload.
        uint crc = Crc32C.Compute(record[RunFileFormat.TopicLengthFieldOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[RunFileFormat.CrcFieldOffset..], crc);
        _bufferedBytes += recordLength;
        _bufferedRecords++;

        AssertInvariantsLocked();
        if (_bufferedBytes >= _options.BufferSize || IsDueLocked())
            FlushLocked();
    }

    /// <summary>Hands every buffered record to the OS (they then survive a crash of this process).</summary>
    /// <exception cref="RunFileDiskFullException">The disk is full; the buffered records were dropped and counted.</exception>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowDeferredFailureLocked();
            FlushLocked();
        }
    }

    /// <summary><see cref="Flush"/>, then ask the OS to put the file on the disk (fsync), so it also survives a power cut.</summary>
    public void FlushToDisk()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowDeferredFailureLocked();
            FlushLocked();
            SyncLocked();
        }
    }

    /// <summary>Flushes when the oldest buffered record is due; what the idle timer calls (tests call it directly with a fake clock).</summary>
    internal void FlushIfDue()
    {
        lock (_gate)
        {
            if (_disposed || _deferredFailure is not null || !IsDueLocked()) return;
            try
            {
                FlushLocked();
            }
            catch (IOException e)
            {
                _deferredFailure = e;
            }
        }
    }

    private void FlushIfDueFromTimer() => FlushIfDue();

    private bool IsDueLocked() => _bufferedBytes > 0 && _options.Clock.UtcNow - _oldestBufferedAt >= _dueAge;

    private void FlushLocked()
    {
        if (_bufferedBytes == 0) return;
        try
        {
            _sink.Write(_buffer.AsSpan(0, _bufferedBytes), _flushedBytes);
        }
        catch (IOException e)
        {
            // A write may have put part of the buffer in the file: cut it back to the last whole record.
            TrySetLength(_flushedBytes);
            if (!RunFileDiskFullException.IsDiskFull(e)) throw;
            int salvaged = SalvageWholeRecordsLocked();
            CountDroppedLocked(from: _flushedBytes == 0 ? RunFileFormat.MagicLength : salvaged);
            _bufferedBytes = 0;
            _bufferedRecords = 0;
            throw DiskFull(e);
        }
        _flushedBytes += _bufferedBytes;
        _flushedRecords += _bufferedRecords;
        _bufferedBytes = 0;
        _bufferedRecords = 0;
        // After a big record the buffer has grown; give the memory back rather than keep it for the whole run.
        if (_buffer.Length > 2 * _options.BufferSize) _buffer = new byte[_options.BufferSize];
        AssertInvariantsLocked();
    }

    /// <summary>
    /// After a buffer write met a full disk: writes the buffered records one at a time while they still fit, so the
    /// file loses only what truly had no room (a 1 MiB buffer holds ~200 events). Returns the bytes written.
    /// </summary>
    private int SalvageWholeRecordsLocked()
    {
        // Until the magic is in the file it leads the buffer; without it nothing behind it is worth writing.
        if (_flushedBytes == 0) return 0;
        int offset = 0;
        while (offset < _bufferedBytes)
        {
            int length = RecordLengthAt(offset);
            try
            {
                _sink.Write(_buffer.AsSpan(offset, length), _flushedBytes);
            }
            catch (IOException)
            {
                TrySetLength(_flushedBytes);
                break;
            }
            _flushedBytes += length;
            _flushedRecords++;
            offset += length;
        }
        return offset;
    }

    private int RecordLengthAt(int offset) =>
        RunFileFormat.RecordHeaderLength + _buffer[offset + RunFileFormat.TopicLengthFieldOffset]
        + (int)BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(offset + RunFileFormat.LengthFieldOffset));

    /// <summary>Counts the buffered records from offset <paramref name="from"/> on as lost, by topic.</summary>
    private void CountDroppedLocked(int from)
    {
        for (int offset = from; offset < _bufferedBytes; offset += RecordLengthAt(offset))
        {
            int topicLength = _buffer[offset + RunFileFormat.TopicLengthFieldOffset];
            CountDroppedLocked(System.Text.Encoding.ASCII.GetString(_buffer, offset + RunFileFormat.RecordHeaderLength, topicLength));
        }
    }

    private void CountDroppedLocked(string topic)
    {
        _droppedRecords++;
        _droppedByTopic[topic] = _droppedByTopic.GetValueOrDefault(topic) + 1;
    }

    private void SyncLocked()
    {
        try
        {
            _sink.FlushToDisk();
        }
        catch (IOException e) when (RunFileDiskFullException.IsDiskFull(e))
        {
            // Delayed allocation (ext4, XFS) reports a full disk only here; the file's tail may be gone.
            throw DiskFull(e);
        }
    }

    /// <summary>Raises what the idle timer met, now that there is a caller to raise it to.</summary>
    private void ThrowDeferredFailureLocked(string? appendingTopic = null)
    {
        if (_deferredFailure is not { } failure) return;
        _deferredFailure = null;
        if (failure is not RunFileDiskFullException)
            throw new IOException($"writing run file '{Path}' failed: {failure.Message}", failure);
        // The disk was full: the record being appended is lost with the ones the timer had to drop.
        if (appendingTopic is not null) CountDroppedLocked(appendingTopic);
        throw DiskFull(failure);
    }

    /// <summary>A disk-full error with the counts as they are now (a deferred one is re-raised with fresh counts).</summary>
    private RunFileDiskFullException DiskFull(IOException cause) =>
        new(Path, _flushedBytes, _flushedRecords, _droppedRecords, cause is RunFileDiskFullException { InnerException: IOException original } ? original : cause);

    private void TrySetLength(long length)
    {
        try { _sink.SetLength(length); }
        catch (IOException) { /* The reader stops at the partial record anyway; the original error is what matters. */ }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Flushes, syncs to disk and closes the file. A failure to do so (a full disk) is raised after the file is closed.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        // Outside the lock: waiting for a running timer callback that itself waits for the lock would deadlock.
        if (_idleTimer is not null)
        {
            using var done = new ManualResetEvent(false);
            if (_idleTimer.Dispose(done)) done.WaitOne();
        }
        lock (_gate)
        {
            try
            {
                FlushLocked();
                SyncLocked();
                ThrowDeferredFailureLocked();
            }
            finally
            {
                _sink.Dispose();
            }
        }
    }

    private static SafeFileHandle OpenNew(string fullPath)
    {
        string directory = System.IO.Path.GetDirectoryName(fullPath) ?? fullPath;
        try
        {
            return File.OpenHandle(fullPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DirectoryNotFoundException($"cannot create run file '{fullPath}': directory '{directory}' does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"cannot create run file '{fullPath}': directory '{directory}' is not writable ({e.Message})", e);
        }
        catch (IOException e) when (File.Exists(fullPath) || Directory.Exists(fullPath))
        {
            throw new IOException($"run file '{fullPath}' already exists; run files are never overwritten", e);
        }
        catch (IOException e) when (RunFileDiskFullException.IsDiskFull(e))
        {
            throw new RunFileDiskFullException(fullPath, 0, 0, 0, e);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot create run file '{fullPath}' in directory '{directory}': {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [Conditional("DEBUG")]
    private void AssertInvariantsLocked()
    {
        Debug.Assert(_bufferedBytes >= 0 && _bufferedBytes <= _buffer.Length);
        Debug.Assert(_bufferedRecords == 0 || _bufferedBytes > 0);
    }
}
