using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace BeamDAQ.Protocol.Tests.Transport.Support;

/// <summary>
/// A running Python peer (Debian's /usr/bin/python3 with python3-zmq and python3-msgpack) that the test talks
/// to line by line: its stdout lines are queued, its stderr kept for the failure message. Killed on Dispose
/// if still running.
/// </summary>
public sealed class PythonProcess : IDisposable
{
    public const string Interpreter = "/usr/bin/python3";

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly string _script;

    private PythonProcess(string script, IEnumerable<string> arguments)
    {
        _script = script;
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Transport", "Peers", script));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _lines.CompleteAdding();
            else _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static PythonProcess Start(string script, params string[] arguments) => new(script, arguments);

    /// <summary>The next stdout line, or null if none comes within <paramref name="timeout"/> (or the peer exited).</summary>
    public string? TryReadLine(TimeSpan timeout)
    {
        try
        {
            return _lines.TryTake(out var line, timeout) ? line : null;
        }
        catch (InvalidOperationException)
        {
            return null; // completed: the peer closed stdout
        }
    }

    public string ReadLine()
        => TryReadLine(Wait.Deadline) ?? throw new TimeoutException($"{_script} printed nothing within {Wait.Deadline.TotalSeconds} s; stderr: {Stderr}");

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Waits for the peer to exit and returns its exit code.</summary>
    public int WaitForExit()
    {
        if (!_process.WaitForExit(Wait.Deadline))
            throw new TimeoutException($"{_script} did not exit within {Wait.Deadline.TotalSeconds} s; stderr: {Stderr}");
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
