using System.CommandLine;
using System.Globalization;
using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Daq.Commands;

/// <summary>
/// <c>beamdaq-daq run</c>: one stand-alone run, without run control. Records <c>run_NNNNNN.bdq</c>, publishes as
/// under run control, shows a live status line on stderr, and ends at <c>--events</c>, on Ctrl-C (reason
/// "operator") or on a failure. Exit code 0 for a run that ended as asked, 1 for a failure (disk full, device lost),
/// 2 for bad usage or configuration (nothing started).
/// </summary>
internal static class RunCommand
{
    public static Command Create(CommandContext context)
    {
        var configuration = new ConfigurationOptions();
        var run = new Option<uint?>("--run") { Description = "Run number (default: one more than the highest run file in the output directory)", HelpName = "N" };
        var events = new Option<ulong?>("--events") { Description = "End the run after N events (default: until Ctrl-C)", HelpName = "N" };
        var rate = new Option<string?>("--rate") { Description = "Simulated bunch rate in Hz, or max: no waiting, simulated time jumps to the next bunch", HelpName = "HZ|max" };
        var lambda = new Option<double?>("--lambda") { Description = "Simulated mean electrons per bunch (simulator.beam.lambda)", HelpName = "X" };
        var output = new Option<string?>("--out") { Description = "Directory for the run file (output.directory)", HelpName = "DIR" };
        var publish = new Option<string?>("--publish") { Description = "PUB address (publish.address), e.g. tcp://127.0.0.1:5555", HelpName = "ADDR" };
        var fault = new Option<string?>("--fault") { Description = "Faults for the simulator to inject: remove@K:T, missing@K[xN], slow@K[xN]:T, storm@K[xR]:T", HelpName = "SPEC" };
        run.Validators.Add(r => { if (r.GetValueOrDefault<uint?>() is 0) r.AddError("--run must be a run number ≥ 1"); });
        events.Validators.Add(r => { if (r.GetValueOrDefault<ulong?>() is 0) r.AddError("--events must be at least 1"); });

        var command = new Command("run", "Acquire one run stand-alone: record it to DIR/run_NNNNNN.bdq and publish it; Ctrl-C ends it cleanly");
        configuration.AddTo(command);
        command.Add(run);
        command.Add(events);
        command.Add(rate);
        command.Add(lambda);
        command.Add(output);
        command.Add(publish);
        command.Add(fault);
        command.SetAction(parse => context.Execute(() =>
        {
            var overrides = new Dictionary<string, object?>();
            ConfigurationOptions.AddRate(overrides, parse.GetValue(rate));
            if (parse.GetValue(lambda) is { } l) overrides["simulator.beam.lambda"] = l;
            if (parse.GetValue(fault) is { } f) overrides["simulator.faults"] = f;
            if (parse.GetValue(output) is { } o) overrides["output.directory"] = o;
            if (parse.GetValue(publish) is { } p) overrides["publish.address"] = p;
            var config = configuration.Load(parse, overrides);
            if (config.Driver != DigitizerDriver.Simulator && (parse.GetValue(rate) ?? parse.GetValue(fault) ?? (object?)parse.GetValue(lambda)) is not null)
                throw new UsageException("--rate, --lambda and --fault drive the simulator; add --sim or set digitizer.driver: simulator");
            return Execute(context, config, parse.GetValue(run), parse.GetValue(events));
        }));
        return command;
    }

    private static int Execute(CommandContext context, DaqConfiguration config, uint? requestedRun, ulong? eventLimit)
    {
        // Checks that need no device or socket first: a refused run must leave nothing behind.
        uint run;
        string path;
        try
        {
            RunFileNaming.EnsureWritable(config.OutputDirectory);
            run = requestedRun ?? RunFileNaming.NextRunNumber(config.OutputDirectory);
            path = RunFileNaming.PathFor(config.OutputDirectory, run);
        }
        catch (RunRefusedException e)
        {
            throw new UsageException(e.Message);
        }
        if (File.Exists(path))
            throw new UsageException($"run file '{path}' already exists; run files are never overwritten: choose another --run (the next free one is {RunFileNaming.NextRunNumber(config.OutputDirectory)})");

        using var log = context.CreateLogger();
        using var zmq = new ZmqContext();
        using var publisher = DaqPublisher.Open(zmq, config, log);
        using var frontEnd = new FrontEnd(publisher, c => DigitizerProviderFactory.Create(c), log);
        try
        {
            frontEnd.Configure(config);
        }
        catch (DigitizerSettingsException e)
        {
            throw new UsageException(e.Message);
        }

        var statusLine = new StatusLine(context.Error, context.ErrorIsTerminal);
        var clock = FrontEnd.ClockOf(frontEnd.Provider!);
        string state = "Running";
        using (new Heartbeat(config.Heartbeat, () => frontEnd.Status().ToMessage(state, DeviceGap.UnixNanoseconds(clock.UtcNow)), publisher.Outlet, log, statusLine.Show))
        using (context.OnInterrupt(() => frontEnd.RequestStop(RunEndReasons.Operator)))
        {
            var meta = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["mode"] = "stand-alone",
                ["operator"] = Environment.UserName,
                ["host"] = Environment.MachineName,
            };
            RunStarted started;
            try
            {
                started = frontEnd.StartRun(run, meta, eventLimit);
            }
            catch (RunRefusedException e)
            {
                throw new UsageException(e.Message);
            }
            context.Error.WriteLine($"beamdaq-daq: run {started.Run} → {started.File}; publishing on {publisher.Endpoint}; Ctrl-C ends the run");
            var summary = frontEnd.WaitForRunEnd(Timeout.InfiniteTimeSpan)!;
            state = "Configured";
            statusLine.Finish();
            WriteSummary(context.Out, summary);
            return summary.IsFailure ? ExitCodes.RuntimeFailure : ExitCodes.Success;
        }
    }

    internal static void WriteSummary(TextWriter output, RunSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"run {s.Run} ended: {s.Reason}");
        output.WriteLine($"  file       {s.File} ({StatusLine.Size(s.BytesWritten)})");
        output.WriteLine(string.Create(c, $"  events     {s.Events} in {s.WallTime.TotalSeconds:0.0} s ({(s.WallTime.TotalSeconds > 0 ? s.Events / s.WallTime.TotalSeconds : 0):0.0}/s)"));
        output.WriteLine($"  missed     {s.Missed} trigger(s)");
        output.WriteLine($"  outages    {s.Gaps.Count}");
        foreach (var gap in s.Gaps) output.WriteLine($"    {gap.Describe()}");
        output.WriteLine($"  dropped    {s.Dropped} publication(s)");
        output.WriteLine(string.Create(c,
            $"  dead time  {s.DeadTimeFraction:P2} of the run; per event median {s.DeadTime.MedianSeconds * 1e6:0.#} µs, p99 {s.DeadTime.P99Seconds * 1e6:0.#} µs"));
        if (s.RecordsLost is { } lost)
            output.WriteLine($"  LOST       {lost} record(s) could not be written (disk full): {s.EventsLost} of {s.EventsAcquired} acquired events are not in the file; it is readable up to its last whole record");
    }
}
