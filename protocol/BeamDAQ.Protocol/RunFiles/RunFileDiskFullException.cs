namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// The disk holding a run file is full (or the user's quota is exhausted). What reached the file before stays
/// there, ending on a whole record; the records still waiting in the writer's buffer are dropped and counted,
/// so the daq can end the run with reason "disk full" and report exactly what is missing. The writer stays
/// usable: a later <see cref="RunFileWriter.Append(string, ReadOnlySpan{byte})"/> (the run.end record) is
/// written if space has become free.
/// </summary>
public sealed class RunFileDiskFullException : IOException
{
    public RunFileDiskFullException(string path, long bytesInFile, long recordsInFile, long recordsDropped, IOException cause)
        : base($"disk full while writing run file '{path}': {recordsInFile} records ({bytesInFile} bytes) are safely in the file; " +
               $"{recordsDropped} record(s) could not be written ({cause.Message})", cause)
    {
        Path = path;
        BytesInFile = bytesInFile;
        RecordsInFile = recordsInFile;
        RecordsDropped = recordsDropped;
    }

    public string Path { get; }

    /// <summary>File length after the failure: magic plus whole records only.</summary>
    public long BytesInFile { get; }

    public long RecordsInFile { get; }

    /// <summary>Records dropped by this writer because of a full disk, over its whole life so far.</summary>
    public long RecordsDropped { get; }

    /// <summary>Whether an I/O error means "no space": ENOSPC/EDQUOT on Unix, ERROR_DISK_FULL/ERROR_HANDLE_DISK_FULL on Windows.</summary>
    internal static bool IsDiskFull(IOException e) => e.HResult is
        28 /* ENOSPC */ or 122 /* EDQUOT */ or unchecked((int)0x80070070) /* ERROR_DISK_FULL */ or unchecked((int)0x80070027) /* ERROR_HANDLE_DISK_FULL */;
}
