using System.Diagnostics;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>A small tmpfs mounted for the test (a disk that really fills up); needs root, else null.</summary>
internal sealed class TmpfsMount : IDisposable
{
    private readonly TempDirectory _directory;

    private TmpfsMount(TempDirectory directory) => _directory = directory;

    public string Path => _directory.Path;

    /// <returns>Null when mounting is not permitted here (with the reason in <paramref name="why"/>).</returns>
    public static TmpfsMount? TryCreate(string size, out string why)
    {
        var directory = new TempDirectory("beamdaq-tmpfs-");
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", directory.Path);
        if (code == 0)
        {
            why = "";
            return new TmpfsMount(directory);
        }
        directory.Dispose();
        why = $"mount -t tmpfs exited with {code}: {output.Trim()}";
        return null;
    }

    public void Dispose()
    {
        Run("umount", Path);
        _directory.Dispose();
    }

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            string output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
