using System.Diagnostics;

namespace BeamDAQ.Protocol.Tests.MessagePack.Support;

/// <summary>Runs a Python peer script (Debian's /usr/bin/python3, which has python3-msgpack) once, with a deadline.</summary>
public static class PythonPeer
{
    public const string Interpreter = "/usr/bin/python3";

    public static string ScriptPath(string name) => Path.Combine(AppContext.BaseDirectory, "MessagePack", "Peers", name);

    /// <summary>Runs the script to completion; throws with its stderr when it fails or outlives <paramref name="deadline"/>.</summary>
    public static void Run(string script, TimeSpan deadline, params string[] arguments)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(ScriptPath(script));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Interpreter}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(deadline))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {deadline.TotalSeconds} s");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
    }
}
