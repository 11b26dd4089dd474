using System.CommandLine;
using System.Diagnostics;
using BeamDAQ.Control.Commands;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Tests.Catalog.Support;

/// <summary>Runs beamdaq-control's catalog commands: in process with captured output, or as the real program.</summary>
internal static class ControlCli
{
    public sealed record Result(int ExitCode, string Out, string Error);

    /// <summary>The command tree the program registers, writing to strings instead of the console.</summary>
    public static Result InProcess(IClock clock, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CommandConsole(output, error);
        var root = new RootCommand("beamdaq-control");
        root.Add(RunsCommand.Create(console));
        root.Add(LogbookCommand.Create(console, clock));
        int exit = CommandLineHost.Run(root, args);
        return new Result(exit, output.ToString(), error.ToString());
    }

    /// <summary>The built program as a separate process (exit codes and stderr as a shell sees them).</summary>
    public static Result Process(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string program = Path.Combine(AppContext.BaseDirectory, "beamdaq-control.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(program);
        foreach (string arg in args)
            info.ArgumentList.Add(arg);
        info.Environment.Remove("BEAMDAQ_CATALOG");
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"beamdaq-control {string.Join(' ', args)} did not finish within 60 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
