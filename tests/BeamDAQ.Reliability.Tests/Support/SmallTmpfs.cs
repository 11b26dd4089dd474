using System.Diagnostics;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// A real, tiny file system: <c>mount -t tmpfs -o size=4m</c> on a fresh directory (root only), unmounted on dispose.
/// Where mounting is not permitted the test fails and says so, unless <c>BEAMDAQ_SKIP_TMPFS=1</c> asks to skip it
/// (reported as skipped, never as a pass: use it from a <see cref="BeamDAQ.TestSupport.SkippableFactAttribute"/>).
/// </summary>
public sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts it; throws <see cref="BeamDAQ.TestSupport.SkipTestException"/> when mounting is impossible and BEAMDAQ_SKIP_TMPFS=1.</summary>
    public static SmallTmpfs Mount(string size = "4m")
    {
        string path = Directory.CreateTempSubdirectory("beamdaq-tmpfs-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0777", "tmpfs", path);
        if (code == 0) return new SmallTmpfs(path);
        Directory.Delete(path);
        if (Budget.Flag("BEAMDAQ_SKIP_TMPFS"))
            throw new BeamDAQ.TestSupport.SkipTestException($"cannot mount a {size} tmpfs (exit {code}: {error.Trim()}) and BEAMDAQ_SKIP_TMPFS=1");
        throw new InvalidOperationException(
            $"cannot mount a {size} tmpfs on {path} (exit {code}: {error.Trim()}); the disk-full test needs root, or set BEAMDAQ_SKIP_TMPFS=1 to skip it");
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    private static (int Code, string Error) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit(30_000);
        return (process.ExitCode, error);
    }
}
