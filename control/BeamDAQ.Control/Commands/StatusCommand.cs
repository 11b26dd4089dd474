using System.CommandLine;
using BeamDAQ.Control.RunControl.Server;
using BeamDAQ.Protocol.Hosting;
using static BeamDAQ.Control.Commands.RunControlCommandSupport;

namespace BeamDAQ.Control.Commands;

/// <summary><c>beamdaq-control status [--json]</c>: run control's state, the front end's latest heartbeat, the last run, active alarms.</summary>
internal static class StatusCommand
{
    public static Command Create(CommandConsole? console = null)
    {
        console ??= CommandConsole.Process;
        var json = JsonOption();
        var connect = ConnectOption();
        var tokenFile = TokenFileOption();
        var timeout = TimeoutOption(10);
        var command = new Command("status", "the control node's state, the front end's counters, the last run and active alarms")
        {
            json, connect, tokenFile, timeout,
        };
        command.SetAction(parse => Run(console, () =>
        {
            var reply = Request(console, parse.GetValue(connect)!, parse.GetValue(tokenFile), parse.GetValue(timeout), ControlProtocol.Status, null);
            if (reply is null) return ExitCodes.RuntimeFailure;
            if (!Succeeded(console, "status", reply, out int exit)) return exit;
            if (parse.GetValue(json))
            {
                WriteJson(console, reply);
                return ExitCodes.Success;
            }
            Print(console, reply);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(CommandConsole console, Dictionary<string, object?> s)
    {
        var o = console.Out;
        o.WriteLine($"state      {s.GetValueOrDefault("state")}{(s.GetValueOrDefault("run") is { } run ? $" (run {run})" : "")} since {s.GetValueOrDefault("since")}");
        if (s.GetValueOrDefault("cause") is string cause) o.WriteLine($"cause      {cause}");
        if (s.GetValueOrDefault("file") is string file) o.WriteLine($"file       {file}");
        if (s.GetValueOrDefault("events_limit") is { } limit) o.WriteLine($"limit      {limit} events");
        if (Map(s.GetValueOrDefault("daq")) is { } daq)
            o.WriteLine($"front end  {daq.GetValueOrDefault("state")}{(daq.GetValueOrDefault("run") is { } r ? $" run {r}" : "")}: " +
                        $"{Text(daq.GetValueOrDefault("events"))} events, {Text(daq.GetValueOrDefault("missed"))} missed, " +
                        $"{Text(daq.GetValueOrDefault("trigger_rate_hz"), "0.0")} Hz, dead time {Text(daq.GetValueOrDefault("dead_time_fraction"), "0.0000")}, " +
                        $"digitizer {daq.GetValueOrDefault("device_state")}; heartbeat {Text(s.GetValueOrDefault("heartbeat_age_s"), "0.0")} s ago");
        else
            o.WriteLine($"front end  no heartbeat yet from {s.GetValueOrDefault("daq_endpoint")}");
        if (Map(s.GetValueOrDefault("last_run")) is { } last)
            o.WriteLine($"last run   {last.GetValueOrDefault("run")} {last.GetValueOrDefault("state")}: {last.GetValueOrDefault("reason")}; " +
                        $"{Text(last.GetValueOrDefault("events"))} events, file {Text(last.GetValueOrDefault("file"))}");
        if (Map(s.GetValueOrDefault("devices")) is { Count: > 0 } devices)
            o.WriteLine("facility   " + string.Join(", ", devices.Select(d => $"{d.Key} {d.Value}")));
        if (s.GetValueOrDefault("alarms") is List<object?> { Count: > 0 } alarms)
            foreach (var alarm in alarms.OfType<IReadOnlyDictionary<string, object?>>())
                o.WriteLine($"alarm      {alarm.GetValueOrDefault("severity")} {alarm.GetValueOrDefault("code")} [{alarm.GetValueOrDefault("source")}]: {alarm.GetValueOrDefault("message")}");
        else
            o.WriteLine("alarms     none active");
        o.WriteLine($"catalog    {s.GetValueOrDefault("catalog")}");
    }
}
