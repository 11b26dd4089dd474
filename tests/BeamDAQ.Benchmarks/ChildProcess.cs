using System.Diagnostics;

namespace BeamDAQ.Benchmarks;

/// <summary>Starts this program again in a child mode (<see cref="IBenchmarkChild"/>), however it was launched.</summary>
public static class ChildProcess
{
    public static Process Start(string child, params string[] arguments)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Under `dotnet beamdaq-bench.dll` the host is dotnet itself and needs the assembly; the apphost does not.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(child);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {host} --child {child}");
    }
}
