using System.CommandLine;
using BeamDAQ.Control.RunControl.Server;
using BeamDAQ.Protocol.Hosting;
using static BeamDAQ.Control.Commands.RunControlCommandSupport;

namespace BeamDAQ.Control.Commands;

/// <summary><c>beamdaq-control reset</c>: acknowledges an Error (a front end still recording is stopped, one in Error is reset) → Idle.</summary>
internal static class ResetCommand
{
    public static Command Create(CommandConsole? console = null)
    {
        console ??= CommandConsole.Process;
        var connect = ConnectOption();
        var tokenFile = TokenFileOption();
        var timeout = TimeoutOption(60);
        var command = new Command("reset", "leave the Error state after its cause has been dealt with") { connect, tokenFile, timeout };
        command.SetAction(parse => Run(console, () =>
        {
            var reply = Request(console, parse.GetValue(connect)!, parse.GetValue(tokenFile), parse.GetValue(timeout), ControlProtocol.Reset, null);
            if (reply is null) return ExitCodes.RuntimeFailure;
            if (!Succeeded(console, "reset", reply, out int exit)) return exit;
            console.Out.WriteLine(reply.GetValueOrDefault("message") as string ?? "reset");
            return ExitCodes.Success;
        }));
        return command;
    }
}
