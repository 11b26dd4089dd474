using System.CommandLine;
using BeamDAQ.Control.RunControl.Server;
using BeamDAQ.Protocol.Hosting;
using static BeamDAQ.Control.Commands.RunControlCommandSupport;

namespace BeamDAQ.Control.Commands;

/// <summary>
/// <c>beamdaq-control start [--comment TEXT] [--operator NAME] [--exit-aperture X Y] [--events N] [--wait] [--json]</c>:
/// asks the control node to start a run. The facility's settings are read by the node, never typed here.
/// </summary>
internal static class StartCommand
{
    /// <summary>How often --wait asks for progress.</summary>
    internal static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create(CommandConsole? console = null)
    {
        console ??= CommandConsole.Process;
        var comment = new Option<string?>("--comment") { Description = "free text stored with the run, exactly as given", HelpName = "TEXT" };
        var @operator = new Option<string?>("--operator") { Description = "who runs it (default: the control node's run.operator, else its user)", HelpName = "NAME" };
        var aperture = new Option<double[]?>("--exit-aperture")
        {
            Description = "open the exit collimator to X × Y mm² and wait until it has settled before the run starts",
            HelpName = "X Y",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var events = new Option<long?>("--events") { Description = "stop the run after N events", HelpName = "N" };
        var wait = new Option<bool>("--wait") { Description = "wait until the run ends (progress on stderr), then print how it ended" };
        var json = JsonOption();
        var connect = ConnectOption();
        var tokenFile = TokenFileOption();
        var timeout = TimeoutOption(180);

        var command = new Command("start", "start a run: the control node reads the facility, configures and starts the front end, records everything")
        {
            comment, @operator, aperture, events, wait, json, connect, tokenFile, timeout,
        };
        command.SetAction(parse => Run(console, () =>
        {
            if (parse.GetValue(events) is <= 0 and var n)
                throw new UsageException($"--events {n}: expected a positive number of events");
            var keys = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["comment"] = parse.GetValue(comment),
                ["operator"] = parse.GetValue(@operator),
                ["events"] = parse.GetValue(events),
            };
            if (parse.GetValue(aperture) is [var x, var y])
            {
                keys["exit_aperture_x_mm"] = x;
                keys["exit_aperture_y_mm"] = y;
            }
            var reply = Request(console, parse.GetValue(connect)!, parse.GetValue(tokenFile), parse.GetValue(timeout), ControlProtocol.Start, keys);
            if (reply is null) return ExitCodes.RuntimeFailure;
            if (!Succeeded(console, "start", reply, out int exit))
            {
                if (parse.GetValue(json)) WriteJson(console, reply);
                return exit;
            }
            if (reply.GetValueOrDefault("warnings") is List<object?> warnings)
                foreach (var warning in warnings)
                    console.Error.WriteLine($"warning: {warning}");
            if (!parse.GetValue(wait))
            {
                if (parse.GetValue(json)) WriteJson(console, reply);
                else PrintStarted(console, reply);
                return ExitCodes.Success;
            }
            if (!parse.GetValue(json)) PrintStarted(console, reply);
            return WaitForEnd(console, parse.GetValue(connect)!, parse.GetValue(tokenFile), Convert.ToInt64(reply["run"]), parse.GetValue(json));
        }));
        return command;
    }

    private static void PrintStarted(CommandConsole console, Dictionary<string, object?> reply)
    {
        console.Out.WriteLine($"run {Text(reply.GetValueOrDefault("run"))} started; file {Text(reply.GetValueOrDefault("file"))}");
        if (Map(reply.GetValueOrDefault("settings")) is { } s)
            console.Out.WriteLine(
                $"  beam {Text(s.GetValueOrDefault("beam_energy_mev"), "0.000")} MeV (magnet {Text(s.GetValueOrDefault("magnet_current_a"), "0.000")} A), " +
                $"exit aperture {Text(s.GetValueOrDefault("exit_aperture_x_mm"), "0.00")} × {Text(s.GetValueOrDefault("exit_aperture_y_mm"), "0.00")} mm², " +
                $"HV {Text(s.GetValueOrDefault("hv_measured_v"), "0.0")} V");
    }

    /// <summary>Polls the node's status until the run is no longer recorded; 0 when it ended, 1 when it was aborted.</summary>
    private static int WaitForEnd(CommandConsole console, string connect, string? tokenFile, long run, bool json)
    {
        string lastLine = "";
        while (true)
        {
            Thread.Sleep(WaitPollInterval);
            var status = Request(console, connect, tokenFile, 10, ControlProtocol.Status, null);
            if (status is null) return ExitCodes.RuntimeFailure;
            bool recording = status.GetValueOrDefault("run") is { } current && Convert.ToInt64(current) == run
                             && status.GetValueOrDefault("state") is "Running" or "Stopping";
            if (recording)
            {
                if (Map(status.GetValueOrDefault("daq")) is { } daq && Convert.ToInt64(daq.GetValueOrDefault("run") ?? 0L) == run)
                {
                    string line = $"run {run}: {Text(daq.GetValueOrDefault("events"))} events, {Text(daq.GetValueOrDefault("missed"))} missed, " +
                                  $"{Text(daq.GetValueOrDefault("trigger_rate_hz"), "0.0")} Hz, dead time {Text(Percent(daq.GetValueOrDefault("dead_time_fraction")), "0.00")} %";
                    if (line != lastLine) console.Error.WriteLine(line);
                    lastLine = line;
                }
                continue;
            }
            var last = Map(status.GetValueOrDefault("last_run"));
            if (last is null || Convert.ToInt64(last.GetValueOrDefault("run") ?? 0L) != run)
            {
                console.Error.WriteLine($"{CatalogCommandSupport.Program}: run {run} is no longer recorded (state {status.GetValueOrDefault("state")}" +
                                        $"{(status.GetValueOrDefault("cause") is string cause ? ": " + cause : "")})");
                return ExitCodes.RuntimeFailure;
            }
            if (json) WriteJson(console, last);
            else
                console.Out.WriteLine($"run {run} {last.GetValueOrDefault("state")}: {last.GetValueOrDefault("reason")}; {Text(last.GetValueOrDefault("events"))} events, " +
                                      $"{Text(last.GetValueOrDefault("missed"))} missed; file {Text(last.GetValueOrDefault("file"))} " +
                                      $"({Text(last.GetValueOrDefault("file_size_bytes"))} bytes, sha256 {Text(last.GetValueOrDefault("file_sha256"))})");
            return last.GetValueOrDefault("state") as string == "ended" ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        }
    }

    private static object? Percent(object? fraction) => fraction is double d ? d * 100 : null;
}
