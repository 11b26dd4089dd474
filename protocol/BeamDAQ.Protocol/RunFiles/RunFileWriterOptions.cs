using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>How a <see cref="RunFileWriter"/> buffers and flushes.</summary>
public sealed record RunFileWriterOptions
{
    public static RunFileWriterOptions Default { get; } = new();

    /// <summary>The clock that decides when buffered records are due (a fake one in tests).</summary>
    public IClock Clock { get; init; } = SystemClock.Instance;

    /// <summary>
    /// The longest a record may wait in the writer's buffer before it is handed to the OS, where it survives a
    /// crash of the process. DESIGN §4 requires at most one second.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Buffered bytes that trigger a write on their own. Larger means fewer system calls; every write carries
    /// whole records only, so a crash never leaves half of a record that was reported written.
    /// </summary>
    public int BufferSize { get; init; } = 1 << 20;

    /// <summary>
    /// Whether a background timer flushes an idle writer (no Append for a while) when its records fall due.
    /// Only tests that drive <see cref="RunFileWriter.FlushIfDue"/> themselves turn it off.
    /// </summary>
    public bool IdleFlushTimer { get; init; } = true;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Clock);
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, "the flush interval must be more than 0 and at most 1 s (DESIGN §4)");
        if (BufferSize is < 4096 or > RunFileFormat.MaxRecordLength)
            throw new ArgumentOutOfRangeException(nameof(BufferSize), BufferSize, $"the buffer size must be 4096–{RunFileFormat.MaxRecordLength} bytes");
    }
}
