using System.Text;

namespace BeamDAQ.Integration.Tests.Support;

/// <summary>The processes of this machine, read from /proc.</summary>
public static class ProcessTable
{
    /// <summary>
    /// Processes whose environment holds <c>NAME=VALUE</c>: everything a shift started inherits its
    /// <c>BEAMDAQ_RUNS_DIR</c>, so this finds every process of one shift, whatever its command line.
    /// </summary>
    public static List<string> WithEnvironment(string name, string value)
    {
        byte[] wanted = Encoding.UTF8.GetBytes($"{name}={value}\0");
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid) || pid == Environment.ProcessId) continue;
            try
            {
                byte[] environment = File.ReadAllBytes(Path.Combine(directory, "environ"));
                if (environment.AsSpan().IndexOf(wanted) < 0) continue;
                string state = File.ReadAllText(Path.Combine(directory, "stat"));
                if (state[(state.LastIndexOf(')') + 2)..].StartsWith('Z')) continue;   // exited, not yet reaped by its parent
                string commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                found.Add($"{pid}: {commandLine}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone meanwhile, or not ours to read
            }
        }
        return found;
    }
}
