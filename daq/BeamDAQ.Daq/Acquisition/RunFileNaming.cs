using System.Globalization;
using System.Text.RegularExpressions;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// Where run files go: <c>DIR/run_NNNNNN.bdq</c> (six digits, more for run numbers beyond 999999), never over an
/// existing file.
/// </summary>
public static partial class RunFileNaming
{
    public static string FileName(uint run) => string.Create(CultureInfo.InvariantCulture, $"run_{run:D6}.bdq");

    public static string PathFor(string directory, uint run) => Path.GetFullPath(Path.Combine(directory, FileName(run)));

    /// <summary>One more than the highest run file in <paramref name="directory"/> (1 for an empty or missing directory).</summary>
    public static uint NextRunNumber(string directory)
    {
        if (!Directory.Exists(directory)) return 1;
        uint highest = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "run_*.bdq"))
        {
            var match = RunFilePattern().Match(Path.GetFileName(path));
            if (match.Success && uint.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out uint run))
                highest = Math.Max(highest, run);
        }
        return highest == uint.MaxValue ? throw new RunRefusedException($"'{directory}' already holds run {uint.MaxValue}; no run number is left") : highest + 1;
    }

    /// <summary>
    /// Creates <paramref name="directory"/> if needed and proves that a file can be created in it.
    /// </summary>
    /// <exception cref="RunRefusedException">The directory cannot be created or written, with the system's reason.</exception>
    public static void EnsureWritable(string directory)
    {
        string full = Path.GetFullPath(directory);
        string probe = Path.Combine(full, $".beamdaq-write-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(full);
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new RunRefusedException($"cannot write run files to output directory '{full}': {e.Message}", e);
        }
    }

    [GeneratedRegex(@"^run_(\d{6,10})\.bdq$")]
    private static partial Regex RunFilePattern();
}
