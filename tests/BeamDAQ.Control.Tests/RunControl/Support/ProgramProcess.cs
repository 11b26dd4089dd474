using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace BeamDAQ.Control.Tests.RunControl.Support;

/// <summary>
/// One of BeamDAQ's programs running as a real process (<c>dotnet program.dll ...</c>), its output collected line by
/// line so a test can wait for "ready" lines with a deadline, and signals for killing, stopping and resuming it.
/// Disposing kills it if it still runs.
/// </summary>
public sealed partial class ProgramProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    public ProgramProcess(string name, string dll, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        Name = name;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("BEAMDAQ_CATALOG");
        info.Environment["BEAMDAQ_LOG_DIR"] = Path.Combine(workingDirectory, "logs");
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        CommandLine = $"dotnet {Path.GetFileName(dll)} {string.Join(' ', args)}";
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }
    public string CommandLine { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Out { get { lock (_out) return _out.ToString(); } }
    public string Error { get { lock (_err) return _err.ToString(); } }

    /// <summary>Runs a program to its end (bounded); returns exit code and output.</summary>
    public static ControlCliResult Run(string dll, string workingDirectory, TimeSpan deadline, params string[] args) =>
        Run(dll, workingDirectory, null, deadline, args);

    /// <summary>Runs a program to its end (bounded) with <paramref name="environment"/> added to its own; returns exit code and output.</summary>
    public static ControlCliResult Run(string dll, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan deadline,
        params string[] args)
    {
        using var program = new ProgramProcess(Path.GetFileNameWithoutExtension(dll), dll, workingDirectory, environment, args);
        if (!program._process.WaitForExit(deadline))
            throw new TimeoutException($"{program.CommandLine} did not finish within {deadline.TotalSeconds} s; stdout: {program.Out}; stderr: {program.Error}");
        program._process.WaitForExit();   // the asynchronous readers have drained
        return new ControlCliResult(program._process.ExitCode, program.Out, program.Error);
    }

    /// <summary>Waits until stdout or stderr contains <paramref name="text"/>; fails with both when the process ends or time runs out.</summary>
    public void WaitFor(string text, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (!Out.Contains(text) && !Error.Contains(text))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing '{text}': {CommandLine}\nstdout: {Out}\nstderr: {Error}");
            if (clock.Elapsed > deadline)
                throw new TimeoutException($"{Name} did not print '{text}' within {deadline.TotalSeconds} s: {CommandLine}\nstdout: {Out}\nstderr: {Error}");
            Thread.Sleep(20);
        }
    }

    public void Signal(PosixSignalNumber signal)
    {
        if (Kill(_process.Id, (int)signal) != 0)
            throw new InvalidOperationException($"kill -{signal} {_process.Id} ({Name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Ends it as a crash would (SIGKILL) and waits until it is gone.</summary>
    public void KillHard()
    {
        Signal(PosixSignalNumber.Kill);
        _process.WaitForExit();
    }

    /// <summary>Asks it to shut down (SIGTERM) and waits for it, bounded.</summary>
    public int Terminate(TimeSpan deadline)
    {
        Signal(PosixSignalNumber.Terminate);
        if (!_process.WaitForExit(deadline))
            throw new TimeoutException($"{Name} did not exit within {deadline.TotalSeconds} s of SIGTERM\nstderr: {Error}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Kill(_process.Id, (int)PosixSignalNumber.Continue);   // a stopped process cannot die until resumed
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>Linux signal numbers the tests send.</summary>
public enum PosixSignalNumber
{
    Kill = 9,
    Terminate = 15,
    Continue = 18,
    Stop = 19,
}
