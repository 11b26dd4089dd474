using System.CommandLine;
using BeamDAQ.Control.RunControl.Server;
using BeamDAQ.Protocol.Hosting;
using static BeamDAQ.Control.Commands.RunControlCommandSupport;

namespace BeamDAQ.Control.Commands;

/// <summary><c>beamdaq-control stop [--reason TEXT] [--json]</c>: ends the run being recorded; without one, says so and changes nothing.</summary>
internal static class StopCommand
{
    public static Command Create(CommandConsole? console = null)
    {
        console ??= CommandConsole.Process;
        var reason = new Option<string?>("--reason") { Description = "why the run ends (default: operator)", HelpName = "TEXT" };
        var json = JsonOption();
        var connect = ConnectOption();
        var tokenFile = TokenFileOption();
        var timeout = TimeoutOption(60);
        var command = new Command("stop", "stop the run being recorded; its counts, file size and checksum go into the catalog")
        {
            reason, json, connect, tokenFile, timeout,
        };
        command.SetAction(parse => Run(console, () =>
        {
            var reply = Request(console, parse.GetValue(connect)!, parse.GetValue(tokenFile), parse.GetValue(timeout), ControlProtocol.Stop,
                new Dictionary<string, object?> { ["reason"] = parse.GetValue(reason) });
            if (reply is null) return ExitCodes.RuntimeFailure;
            bool ok = Succeeded(console, "stop", reply, out int exit);
            if (parse.GetValue(json))
            {
                WriteJson(console, reply);
                return exit;
            }
            if (!ok) return exit;
            if (Map(reply.GetValueOrDefault("last_run")) is { } run && reply.GetValueOrDefault("stopped") is true)
                console.Out.WriteLine($"run {Text(run.GetValueOrDefault("run"))} {run.GetValueOrDefault("state")}: {Text(run.GetValueOrDefault("events"))} events, " +
                                      $"{Text(run.GetValueOrDefault("missed"))} missed; file {Text(run.GetValueOrDefault("file"))} " +
                                      $"({Text(run.GetValueOrDefault("file_size_bytes"))} bytes, sha256 {Text(run.GetValueOrDefault("file_sha256"))})");
            else
                console.Out.WriteLine(reply.GetValueOrDefault("message") as string ?? "nothing to stop");
            return ExitCodes.Success;
        }));
        return command;
    }
}
