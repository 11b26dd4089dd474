using System.CommandLine;
using System.Globalization;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.RunControl.Configuration;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.RunControl.Node;
using BeamDAQ.Control.RunControl.Orchestration;
using BeamDAQ.Control.RunControl.Server;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Commands;

/// <summary>
/// <c>beamdaq-control serve [--config F] [--catalog PATH|CONN] [--daq-control ADDR] [--daq-publish ADDR]
/// [--analysis-publish ADDR] [--facility HOST:BASEPORT] [--listen ADDR] [--token-file F] [--publish ADDR]</c>:
/// the control node, until SIGINT/SIGTERM. Stopping it does not stop a run: the front end keeps recording and the
/// next control node adopts the run.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config")
        {
            Description = $"control configuration (default: {ControlConfigLoader.DefaultPath} if it exists, else built-in defaults)",
            HelpName = "F",
        };
        var catalog = new Option<string?>("--catalog")
        {
            Description = $"the run catalog: a SQLite file or a PostgreSQL connection string (default: catalog in the config, else ${RunCatalog.EnvironmentVariable}, else {RunCatalog.DefaultPath})",
            HelpName = "PATH|CONNSTRING",
        };
        var daqControl = new Option<string?>("--daq-control") { Description = "the front end's run-control REP endpoint (default tcp://127.0.0.1:5556)", HelpName = "ADDR" };
        var daqPublish = new Option<string?>("--daq-publish") { Description = "the front end's PUB endpoint for daq.status, alarm, run.begin/end (default tcp://127.0.0.1:5555)", HelpName = "ADDR" };
        var analysisPublish = new Option<string?>("--analysis-publish") { Description = "the analysis PUB endpoint whose fit results are stored (default tcp://127.0.0.1:5557)", HelpName = "ADDR" };
        var facility = new Option<string?>("--facility") { Description = "the facility's devices at HOST, ports BASEPORT+0..4 (default: from configs/facility.yaml)", HelpName = "HOST:BASEPORT" };
        var noFacility = new Option<bool>("--no-facility") { Description = "no slow control and no facility settings (a bench without the spectrometer)" };
        var listen = new Option<string?>("--listen") { Description = $"this node's command endpoint (default {ControlProtocol.DefaultListenAddress}); beyond 127.0.0.1 it needs --token-file", HelpName = "ADDR" };
        var tokenFile = new Option<string?>("--token-file") { Description = "file whose first line is the shared token required on a non-loopback --listen (never logged)", HelpName = "F" };
        var publish = new Option<string?>("--publish") { Description = "this node's PUB endpoint for sc, alarm, run.state (default tcp://127.0.0.1:5558)", HelpName = "ADDR" };

        var command = new Command("serve", "run the control node: run state machine, catalog, slow control, alarms, fits; until SIGINT/SIGTERM")
        {
            config, catalog, daqControl, daqPublish, analysisPublish, facility, noFacility, listen, tokenFile, publish,
        };
        command.SetAction(parse =>
        {
            var file = LoadConfig(parse.GetValue(config));
            var options = Resolve(file, new ServeOverrides(parse.GetValue(catalog), parse.GetValue(daqControl), parse.GetValue(daqPublish),
                parse.GetValue(analysisPublish), parse.GetValue(facility), parse.GetValue(noFacility), parse.GetValue(listen),
                parse.GetValue(tokenFile), parse.GetValue(publish)));
            return Serve(options, file.Source);
        });
        return command;
    }

    /// <summary>What the command line says; null: the configuration's value.</summary>
    internal sealed record ServeOverrides(string? Catalog = null, string? DaqControl = null, string? DaqPublish = null,
        string? AnalysisPublish = null, string? Facility = null, bool NoFacility = false, string? Listen = null,
        string? TokenFile = null, string? Publish = null);

    internal static ControlConfig LoadConfig(string? path)
    {
        if (path is not null)
            return ControlConfigLoader.Load(path);
        return File.Exists(ControlConfigLoader.DefaultPath) ? ControlConfigLoader.Load(ControlConfigLoader.DefaultPath) : new ControlConfig();
    }

    /// <summary>Configuration file plus command line → the node's options. Bad values are <see cref="UsageException"/>s (exit 2).</summary>
    internal static ControlNodeOptions Resolve(ControlConfig config, ServeOverrides cli)
    {
        string listen = Address("--listen", cli.Listen) ?? config.ListenAddress;
        string? tokenFile = cli.TokenFile ?? config.ListenTokenFile;
        string? token = null;
        if (!EndpointSecurity.IsLoopback(listen))
        {
            if (tokenFile is null)
                throw new UsageException($"--listen {listen} is reachable from other hosts: a token is required (--token-file F, or listen.token_file in {config.Source})");
            token = EndpointSecurity.ReadTokenFile(tokenFile);
        }
        string? daqToken = config.DaqTokenFile is { } daqTokenFile ? EndpointSecurity.ReadTokenFile(daqTokenFile) : null;

        FacilityEndpoints? endpoints = null;
        var facilityConfig = FacilityConfigLoader.Defaults();
        if (config.FacilityEnabled && !cli.NoFacility)
        {
            bool isDefaultPath = config.FacilityConfig == new ControlConfig().FacilityConfig;
            if (File.Exists(config.FacilityConfig))
                facilityConfig = FacilityConfigLoader.Load(config.FacilityConfig);
            else if (!isDefaultPath)
                throw new UsageException($"{config.Source}: facility.config = '{config.FacilityConfig}': no such file");
            int? basePort = config.FacilityBasePort;
            if (config.FacilityHost is { } host) facilityConfig.Host = host;
            if (cli.Facility is { } hostPort)
            {
                int colon = hostPort.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port)
                    || port < 1 || port > 65535 - FacilityDevices.All.Count)
                    throw new UsageException($"--facility {hostPort}: expected HOST:BASEPORT with BASEPORT 1–{65535 - FacilityDevices.All.Count} (devices on BASEPORT+0..{FacilityDevices.All.Count - 1})");
                facilityConfig.Host = hostPort[..colon];
                basePort = port;
            }
            endpoints = FacilityEndpoints.FromConfig(facilityConfig, basePort);
        }

        return new ControlNodeOptions
        {
            Catalog = RunCatalog.ResolveLocation(cli.Catalog ?? config.Catalog),
            ListenAddress = listen,
            ListenToken = token,
            PublishAddress = Address("--publish", cli.Publish) ?? config.PublishAddress,
            Daq = new DaqClientOptions
            {
                Endpoint = Address("--daq-control", cli.DaqControl) ?? config.DaqControlAddress,
                QueryTimeout = TimeSpan.FromSeconds(config.DaqQueryTimeoutS),
                CommandTimeout = TimeSpan.FromSeconds(config.DaqCommandTimeoutS),
                Retries = config.DaqRetries,
                Token = daqToken,
            },
            DaqPublishAddress = Address("--daq-publish", cli.DaqPublish) ?? config.DaqPublishAddress,
            AnalysisPublishAddress = Address("--analysis-publish", cli.AnalysisPublish) ?? config.AnalysisPublishAddress,
            Facility = endpoints,
            FacilityConfig = facilityConfig,
            RunControl = new RunControlOptions
            {
                DefaultOperator = config.DefaultOperator,
                Detector = config.Detector,
                CollimatorSettleTimeout = TimeSpan.FromSeconds(config.CollimatorSettleTimeoutS),
                MaxApertureMm = facilityConfig.Collimators.MaxApertureMm,
                HeartbeatTimeout = TimeSpan.FromSeconds(config.HeartbeatTimeoutS),
                ProgressInterval = TimeSpan.FromSeconds(config.ProgressIntervalS),
                SimulatedBeamFromFacility = config.SimulatedBeamFromFacility,
                DaqConfigOverrides = config.DaqConfigOverrides,
            },
            IdleStoreInterval = config.IdleStoreIntervalS is { } idle ? TimeSpan.FromSeconds(idle) : null,
            SupervisionInterval = TimeSpan.FromSeconds(config.SupervisionIntervalS),
        };
    }

    private static string? Address(string option, string? value)
    {
        if (value is null) return null;
        if (EndpointSecurity.CheckAddress(value) is { } expected)
            throw new UsageException($"{option} {value}: expected {expected}");
        return value;
    }

    private static int Serve(ControlNodeOptions options, string configSource)
    {
        var root = BeamDaqLogging.Create("beamdaq-control");
        var log = root.ForContext("Component", "serve");
        try
        {
            using var stop = new StopSignals();

            log.Information("serve: configuration {Source}", configSource);
            var node = ControlNode.Start(options, SystemClock.Instance, log);
            try
            {
                Console.Out.WriteLine($"control node listening on {node.Endpoint}; catalog {node.Catalog.Location}; state {node.Controller.State.State}");
                Console.Out.Flush();
                stop.Wait();
                var state = node.Controller.State;
                log.Information("serve: stopping{Run}", state.Run is { } run ? $"; run {run} stays with the front end and is adopted by the next control node" : "");
            }
            finally
            {
                node.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            log.Information("serve: stopped");
            return ExitCodes.Success;
        }
        finally
        {
            (root as IDisposable)?.Dispose();
        }
    }
}
