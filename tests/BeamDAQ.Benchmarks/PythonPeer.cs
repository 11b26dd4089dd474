using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace BeamDAQ.Benchmarks;

/// <summary>A benchmark's Python side: Debian's python3 running one of the scripts in peers/ (copied beside this program).</summary>
public static class PythonPeer
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>
    /// Starts peers/<paramref name="script"/> with stdout and stderr redirected, the arguments in the invariant culture.
    /// <paramref name="singleThreaded"/> keeps numpy's BLAS pools to one thread, as BeamDAQ's side runs.
    /// </summary>
    public static Process Start(string script, IEnumerable<object> arguments, bool singleThreaded = false)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peers", script));
        foreach (var argument in arguments)
            start.ArgumentList.Add(Convert.ToString(argument, CultureInfo.InvariantCulture)!);
        if (singleThreaded)
        {
            start.Environment["OMP_NUM_THREADS"] = "1";
            start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {Interpreter}");
    }

    /// <summary>Runs peers/<paramref name="script"/> to its end and returns the JSON object it prints; fails with its stderr.</summary>
    public static JsonElement Run(string script, IEnumerable<object> arguments, bool singleThreaded = false)
    {
        using var process = Start(script, arguments, singleThreaded);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {stderr.Result}");
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }
}
