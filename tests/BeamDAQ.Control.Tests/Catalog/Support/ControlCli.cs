using System.CommandLine;
using BeamDAQ.Control.Commands;
using BeamDAQ.Control.Tests.RunControl.Support;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Tests.Catalog.Support;

/// <summary>Runs beamdaq-control's catalog commands: in process with captured output, or as the real program.</summary>
internal static class ControlCli
{
    /// <summary>The command tree the program registers, writing to strings instead of the console.</summary>
    public static ControlCliResult InProcess(IClock clock, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CommandConsole(output, error);
        var root = new RootCommand("beamdaq-control");
        root.Add(RunsCommand.Create(console));
        root.Add(LogbookCommand.Create(console, clock));
        int exit = CommandLineHost.Run(root, args);
        return new ControlCliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>The built program as a separate process (exit codes and stderr as a shell sees them).</summary>
    public static ControlCliResult Process(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ProgramProcess.Run(Programs.Control, Environment.CurrentDirectory, environment, TimeSpan.FromSeconds(60), args);
}
