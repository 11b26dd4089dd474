using System.CommandLine;

namespace BeamDAQ.Daq.Commands;

/// <summary>The command tree of <c>beamdaq-daq</c> (DESIGN §9); the program and the tests build it here.</summary>
public static class DaqCommandLine
{
    public static RootCommand Create(CommandContext context)
    {
        var root = new RootCommand("beamdaq-daq — front end: HS4 acquisition, recording, publishing");
        root.Add(RunCommand.Create(context));
        root.Add(ServeCommand.Create(context));
        root.Add(ReplayCommand.Create(context));
        root.Add(VerifyCommand.Create(context));
        root.Add(DevicesCommand.Create(context));
        return root;
    }
}
