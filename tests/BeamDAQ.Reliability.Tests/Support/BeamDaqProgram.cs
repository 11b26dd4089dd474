using System.Diagnostics;
using System.Text;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>The three BeamDAQ programs, as built next to this test assembly (the project references them).</summary>
public enum ProgramName
{
    Daq,
    Analysis,
    Control,
}

/// <summary>
/// One running BeamDAQ program (a real process: <c>dotnet beamdaq-*.dll ARGS</c>) with its output captured line by
/// line. Waits are bounded; a process still running at <see cref="Dispose"/> is killed — only this one, by its id.
/// </summary>
public sealed class BeamDaqProgram : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly Lock _gate = new();

    private BeamDaqProgram(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Stdout { get { lock (_gate) return _out.ToString(); } }

    public string Stderr { get { lock (_gate) return _err.ToString(); } }

    /// <summary>Starts <paramref name="program"/> in <paramref name="workingDirectory"/>; logs go to its <c>logs/</c> folder.</summary>
    /// <param name="isolatedNetwork">
    /// Run in a network namespace of its own with only a loopback interface (<c>unshare -n</c>): default ports cannot
    /// collide with anything else on the machine, and a bind to 0.0.0.0 is reachable from nowhere but that namespace.
    /// </param>
    public static BeamDaqProgram Start(ProgramName program, string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, bool isolatedNetwork = false)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, DllName(program));
        var info = new ProcessStartInfo(isolatedNetwork ? "unshare" : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (isolatedNetwork)
        {
            // unshare and sh both exec: the process id stays the program's.
            foreach (var part in new[] { "-n", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\"", "dotnet" }) info.ArgumentList.Add(part);
        }
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["BEAMDAQ_LOG_DIR"] = Path.Combine(workingDirectory, "logs");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_TieredPGO"] = "0"; // fewer JIT threads on a 2-core machine
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var program_ = new BeamDaqProgram(process, $"{DllName(program)} {string.Join(' ', arguments)}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (program_._gate) program_._out.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (program_._gate) program_._err.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return program_;
    }

    /// <summary>Runs to the end (at most <paramref name="limit"/>) and returns the exit code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(ProgramName program, string workingDirectory, IEnumerable<string> arguments,
        TimeSpan? limit = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var running = Start(program, workingDirectory, arguments, environment);
        int code = running.WaitForExit(limit ?? TimeSpan.FromSeconds(60));
        return (code, running.Stdout, running.Stderr);
    }

    /// <summary>Waits for the process to end; fails (and kills it) if it does not within <paramref name="limit"/>.</summary>
    public int WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit))
        {
            Kill();
            throw new TimeoutException($"{CommandLine} did not exit within {limit.TotalSeconds:F0} s; stderr:{Environment.NewLine}{Tail(Stderr)}");
        }
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    /// <summary>Waits until stdout or stderr contains <paramref name="text"/>; fails if the process exits or time runs out first.</summary>
    public void WaitForOutput(string text, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.StartNew();
        var max = limit ?? Eventually.Deadline;
        while (!Stdout.Contains(text, StringComparison.Ordinal) && !Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                if (Stdout.Contains(text, StringComparison.Ordinal) || Stderr.Contains(text, StringComparison.Ordinal)) return;
                throw new InvalidOperationException($"{CommandLine} exited with {_process.ExitCode} before printing '{text}'; stderr:{Environment.NewLine}{Tail(Stderr)}");
            }
            if (deadline.Elapsed > max)
                throw new TimeoutException($"{CommandLine} did not print '{text}' within {max.TotalSeconds:F0} s; stderr:{Environment.NewLine}{Tail(Stderr)}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Sends a POSIX signal to this process only (SIGINT, SIGTERM, SIGKILL, SIGSTOP, SIGCONT).</summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited) _ = Posix.Kill(_process.Id, signal);
    }

    /// <summary>SIGKILL: the process ends at once, without running any of its own code.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        Signal(Posix.SIGKILL);
        _process.WaitForExit(10_000);
    }

    /// <summary>Open file descriptors of the process (from /proc), or -1 once it is gone.</summary>
    public int OpenFileDescriptors()
    {
        try { return Directory.GetFiles($"/proc/{_process.Id}/fd").Length; }
        catch (IOException) { return -1; }
        catch (UnauthorizedAccessException) { return -1; }
    }

    /// <summary>Resident memory in bytes (VmRSS from /proc), or -1 once it is gone.</summary>
    public long ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : -1; // a process that is exiting has none
        }
        catch (IOException) { }
        return -1;
    }

    public static string Tail(string text, int lines = 30) =>
        string.Join(Environment.NewLine, text.Split('\n').TakeLast(lines));

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static string DllName(ProgramName program) => program switch
    {
        ProgramName.Daq => "beamdaq-daq.dll",
        ProgramName.Analysis => "beamdaq-analysis.dll",
        _ => "beamdaq-control.dll",
    };
}
