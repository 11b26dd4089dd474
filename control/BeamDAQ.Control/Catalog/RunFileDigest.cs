using System.Security.Cryptography;

namespace BeamDAQ.Control.Catalog;

/// <summary>
/// Size and SHA-256 of a run file: what the catalog stores at the end of a run, and what crash recovery records
/// for a file that was cut short.
/// </summary>
public sealed class RunFileDigest : IRunFileInspector
{
    public static RunFileDigest Instance { get; } = new();

    /// <summary>Size in bytes and SHA-256 as 64 lower-case hex digits.</summary>
    public static (long SizeBytes, string Sha256) Compute(string path)
    {
        // FileShare.ReadWrite: a file still being appended to can be read; the digest covers what is there now.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 1 << 20, FileOptions.SequentialScan);
        byte[] hash = SHA256.HashData(stream);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }

    public RecoveredRunFile Inspect(string path)
    {
        if (!File.Exists(path))
            return new RecoveredRunFile(path, false, null, null, null, null, $"file {path} is missing");
        try
        {
            var (size, sha) = Compute(path);
            var lastWrite = CatalogTime.Normalize(new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero));
            return new RecoveredRunFile(path, true, size, sha, lastWrite, null,
                $"file {path}: {size} bytes, sha256 {sha}, last written {CatalogTime.ToText(lastWrite)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RecoveredRunFile(path, true, null, null, null, null, $"file {path} could not be read: {e.Message}");
        }
    }
}
