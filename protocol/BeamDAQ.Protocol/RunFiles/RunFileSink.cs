using Microsoft.Win32.SafeHandles;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>Where a <see cref="RunFileWriter"/> puts its bytes; a seam so a test can make the disk "fill up".</summary>
internal interface IRunFileSink : IDisposable
{
    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/> (one system call when the OS allows).</summary>
    void Write(ReadOnlySpan<byte> data, long offset);

    /// <summary>Cuts the file back to <paramref name="length"/> bytes.</summary>
    void SetLength(long length);

    /// <summary>Asks the OS to put the written bytes on the disk (fsync).</summary>
    void FlushToDisk();
}

/// <summary>A run file on disk, written by positional writes through the OS with no buffer of its own.</summary>
internal sealed class FileRunFileSink(SafeFileHandle handle) : IRunFileSink
{
    public void Write(ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(handle, data, offset);
    public void SetLength(long length) => RandomAccess.SetLength(handle, length);
    public void FlushToDisk() => RandomAccess.FlushToDisk(handle);
    public void Dispose() => handle.Dispose();
}
