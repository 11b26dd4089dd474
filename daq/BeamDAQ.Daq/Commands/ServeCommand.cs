using System.CommandLine;
using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation.Beam;
using BeamDAQ.Daq.RunControl;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Daq.Commands;

/// <summary>
/// <c>beamdaq-daq serve</c>: the front end under run control. Binds the PUB socket and the REP endpoint of
/// docs/run-control.md, publishes <c>daq.status</c> every heartbeat, and runs until Ctrl-C or SIGTERM (a run still
/// going then ends with reason "shutdown"). With <c>--beam HOST:PORT</c> the simulator's λ follows the facility
/// simulator's beam port.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CommandContext context)
    {
        var configuration = new ConfigurationOptions();
        var control = new Option<string?>("--control") { Description = "REP address for run control (run_control.address); beyond 127.0.0.1 a token is required", HelpName = "ADDR" };
        var publish = new Option<string?>("--publish") { Description = "PUB address (publish.address)", HelpName = "ADDR" };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the run-control token (first line); overrides run_control.token", HelpName = "F" };
        var beam = new Option<string?>("--beam") { Description = "The facility simulator's beam port: the simulator takes λ from BEAM:LAMBDA? there", HelpName = "HOST:PORT" };
        var command = new Command("serve", "Serve run control (docs/run-control.md): configure, start, stop, status over ZeroMQ REQ/REP");
        configuration.AddTo(command);
        command.Add(control);
        command.Add(publish);
        command.Add(tokenFile);
        command.Add(beam);
        command.SetAction(parse => context.Execute(() =>
        {
            var overrides = new Dictionary<string, object?>();
            if (parse.GetValue(control) is { } c) overrides["run_control.address"] = c;
            if (parse.GetValue(publish) is { } p) overrides["publish.address"] = p;
            var config = configuration.Load(parse, new Dictionary<string, object?>(overrides));
            string? token = parse.GetValue(tokenFile) is { } file ? EndpointSecurity.ReadTokenFile(file) : config.RunControlToken;
            if (!EndpointSecurity.IsLoopback(config.RunControlAddress) && string.IsNullOrEmpty(token))
                throw new UsageException($"run control on '{config.RunControlAddress}' is reachable from other machines: give a token (--token-file F or run_control.token), or bind tcp://127.0.0.1:PORT");
            var beamAddress = parse.GetValue(beam) is { } b ? FacilityBeamClient.ParseAddress(b) : ((string, int)?)null;
            if (beamAddress is not null && config.Driver != DigitizerDriver.Simulator)
                throw new UsageException("--beam feeds the simulator's λ; add --sim or set digitizer.driver: simulator");

            // configure requests reload the same file and command line, with their own overrides on top.
            string? path = parse.GetValue(configuration.Config);
            bool sim = parse.GetValue(configuration.Sim);
            DaqConfiguration Load(IReadOnlyDictionary<string, object?>? requested)
            {
                var merged = new Dictionary<string, object?>(overrides);
                if (sim) merged["digitizer.driver"] = "simulator";
                if (requested is not null)
                    foreach (var (key, value) in requested) merged[key] = value;
                return DaqConfigurationLoader.Load(path, merged, requested is null ? "command line" : "command line + run control");
            }
            return Execute(context, config, token, beamAddress, Load);
        }));
        return command;
    }

    private static int Execute(CommandContext context, DaqConfiguration config, string? token, (string Host, int Port)? beamAddress,
        Func<IReadOnlyDictionary<string, object?>?, DaqConfiguration> load)
    {
        using var log = context.CreateLogger();
        using var beam = beamAddress is { } a ? new FacilityBeamClient(a.Host, a.Port, config.Simulator.Lambda, log) : null;
        if (beam is not null)
            log.Information(beam.WaitForFirstReading(TimeSpan.FromSeconds(2))
                ? "λ from the beam port {Address}: {Lambda}"
                : "the beam port {Address} has not answered yet; λ = {Lambda} (configuration) until it does", beam.Address, beam.Lambda);

        using var zmq = new ZmqContext();
        using var publisher = DaqPublisher.Open(zmq, config, log);
        using var frontEnd = new FrontEnd(publisher, c => DigitizerProviderFactory.Create(c, beam), log)
        {
            // The configuration's λ is only the fallback when the facility supplies it: say so in every run.begin.
            RunBeginExtras = beam is null ? null : () => new Dictionary<string, object?>
            {
                ["beam_source"] = $"facility beam port {beam.Address} ({FacilityBeamClient.LambdaQuery})",
                ["beam_lambda_at_start"] = beam.Lambda,
            },
        };
        var service = new RunControlService(frontEnd, load, log);
        using var server = new RunControlServer(zmq, config.RunControlAddress, service, token, log);
        using var heartbeat = new Heartbeat(config.Heartbeat,
            () => frontEnd.Status().ToMessage(service.State.ToString(), ((IClock)SystemClock.Instance).UnixNanoseconds), publisher.Outlet, log);

        using var stop = new ManualResetEventSlim(false);
        using (context.OnInterrupt(stop.Set))
        {
            context.Error.WriteLine($"beamdaq-daq: serving run control on {server.Endpoint}, publishing on {publisher.Endpoint}; Ctrl-C ends");
            stop.Wait();
        }
        log.Information("shutting down");
        if (frontEnd.StopRun(RunEndReasons.Shutdown) is { } summary)
            RunCommand.WriteSummary(context.Out, summary);
        return ExitCodes.Success;
    }
}
