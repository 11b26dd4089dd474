using System.Security.Cryptography;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Control.Catalog;

/// <summary>
/// Size and SHA-256 of a run file: what the catalog stores at the end of a run, and — with a scan of its records —
/// what crash recovery records for a file that was cut short (the default <see cref="IRunFileInspector"/>).
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

    /// <summary>Digest plus the file's whole records: events counted up to the last record that checks out.</summary>
    public RecoveredRunFile Inspect(string path)
    {
        if (!File.Exists(path))
            return new RecoveredRunFile(path, false, null, null, null, null, $"file {path} is missing");
        try
        {
            var (size, sha) = Compute(path);
            var lastWrite = CatalogTime.Normalize(new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero));
            var scan = RunFileScanner.Scan(path);
            long events = scan.RecordsByTopic.GetValueOrDefault(Topics.Event);
            string ending = scan.EndsWithRunEnd ? "ends with run.end" : $"{scan.EndState}: {scan.EndDescription}";
            return new RecoveredRunFile(path, true, size, sha, lastWrite, events,
                $"file {path}: {size} bytes, sha256 {sha}, {events} events in {scan.Records} whole records " +
                $"(last trigger {scan.LastTrigger?.ToString() ?? "none"}), {ending}, last written {CatalogTime.ToText(lastWrite)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RecoveredRunFile(path, true, null, null, null, null, $"file {path} could not be read: {e.Message}");
        }
    }
}
