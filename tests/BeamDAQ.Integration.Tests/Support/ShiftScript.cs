using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace BeamDAQ.Integration.Tests.Support;

/// <summary>
/// <c>run-scripts/shift.sh</c> as a user runs it, in a session of its own (so that it leads its own process group, as a
/// terminal's foreground job does), with its run directory in <c>BEAMDAQ_RUNS_DIR</c>. Output is collected line by
/// line. A script still running at its deadline has its whole group terminated and the test fails with its output.
/// </summary>
public sealed partial class ShiftScript : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private ShiftScript(string runsDirectory, IReadOnlyList<string> args)
    {
        RunsDirectory = runsDirectory;
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        info.ArgumentList.Add("bash");
        info.ArgumentList.Add(Repository.ShiftScript);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["BEAMDAQ_RUNS_DIR"] = runsDirectory;
        info.Environment.Remove("BEAMDAQ_CATALOG");
        info.Environment.Remove("BEAMDAQ_LOG_DIR");
        CommandLine = $"BEAMDAQ_RUNS_DIR={runsDirectory} run-scripts/shift.sh {string.Join(' ', args)}";
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string RunsDirectory { get; }
    public string CommandLine { get; }
    /// <summary>The script's process id, which is also its process group's id.</summary>
    public int Id => _process.Id;
    public string Out { get { lock (_out) return _out.ToString(); } }
    public string Error { get { lock (_err) return _err.ToString(); } }
    public int ExitCode => _process.ExitCode;

    public static ShiftScript Start(string runsDirectory, params string[] args) => new(runsDirectory, args);

    /// <summary>Starts the script and waits for it to end (bounded).</summary>
    public static ShiftScript Run(string runsDirectory, TimeSpan deadline, params string[] args)
    {
        var script = Start(runsDirectory, args);
        script.WaitForExit(deadline);
        return script;
    }

    public void WaitForExit(TimeSpan deadline)
    {
        if (!_process.WaitForExit(deadline))
        {
            TerminateGroup();
            throw new TimeoutException($"{CommandLine} did not end within {deadline.TotalSeconds:0} s\n{Transcript()}");
        }
        _process.WaitForExit();   // the asynchronous readers have drained
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails with the output when the script ends first or time runs out.</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{CommandLine} ended (exit code {_process.ExitCode}) before {what}\n{Transcript()}");
            if (clock.Elapsed > deadline)
                throw new TimeoutException($"not within {deadline.TotalSeconds:0} s: {what}\n{Transcript()}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Sends a signal to the script's whole process group, as a terminal does for Ctrl-C.</summary>
    public void SignalGroup(int signal)
    {
        if (Kill(-_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill -{signal} -{_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public string Transcript() => $"--- {CommandLine}\n--- stdout:\n{Out}\n--- stderr:\n{Error}";

    private void TerminateGroup()
    {
        Kill(-_process.Id, SigTerm);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(45)))
            Kill(-_process.Id, SigKill);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited) TerminateGroup();
        _process.Dispose();
    }

    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
