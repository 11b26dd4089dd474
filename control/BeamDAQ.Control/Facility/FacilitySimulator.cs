using System.Net;
using BeamDAQ.Control.Facility.Beam;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.Facility.Devices;
using BeamDAQ.Control.Facility.Server;
using BeamDAQ.Control.SlowControl.Calibration;
using BeamDAQ.Protocol.Hosting;
using Serilog;

namespace BeamDAQ.Control.Facility;

/// <summary>
/// The whole simulated LEETECH facility: magnet supply, collimator master, detector HV, NTC readout and the
/// beam port, each on its own TCP port, all driven by one injected clock. In-process use (tests):
/// <code>
/// await using var sim = FacilitySimulator.Start(config, clock, log, basePortOverride: 0);
/// var endpoints = sim.Endpoints;          // the bound ports, for clients
/// sim.Temperatures.InjectStep(0, -3);     // faults through the device objects
/// sim.Server(FacilityDevice.HighVoltage).Unresponsive = true;
/// </code>
/// </summary>
public sealed class FacilitySimulator : IAsyncDisposable
{
    private readonly Dictionary<FacilityDevice, LineServer> servers = [];
    private readonly ILogger log;

    private FacilitySimulator(FacilityConfig config, IClock clock, Random random, ILogger log)
    {
        Config = config;
        Clock = clock;
        Magnet = new SimulatedMagnetSupply(config.Magnet, clock);
        Collimators = new SimulatedCollimatorMaster(config.Collimators, clock, random);
        HighVoltage = new SimulatedHvSupply(config.Hv, clock);
        Temperatures = new SimulatedThermistorBank(config.Temperatures, clock, random);
        Beam = new SimulatedBeam(new BeamIntensityModel(config.Beam), BeamEnergyCalibration.FromConfig(config.Magnet),
            Collimators, Magnet, config.Beam.BunchRateHz, config.Beam.InitialOn);

        this.log = log;
    }

    public FacilityConfig Config { get; }
    public IClock Clock { get; }
    public SimulatedMagnetSupply Magnet { get; }
    public SimulatedCollimatorMaster Collimators { get; }
    public SimulatedHvSupply HighVoltage { get; }
    public SimulatedThermistorBank Temperatures { get; }
    public SimulatedBeam Beam { get; }

    /// <summary>Where each device actually listens (bound ports, also when 0 was configured).</summary>
    public FacilityEndpoints Endpoints { get; private set; } = null!;

    public LineServer Server(FacilityDevice device) => servers[device];

    /// <summary>
    /// Builds the facility and opens every port. <paramref name="basePortOverride"/> replaces base_port
    /// (0: a free port per device). <paramref name="seed"/> makes jaw errors and read noise reproducible.
    /// </summary>
    public static FacilitySimulator Start(FacilityConfig config, IClock clock, ILogger log, int? basePortOverride = null, int seed = 1)
    {
        var sim = new FacilitySimulator(config, clock, new Random(seed), log);
        try
        {
            sim.Bind(FacilityEndpoints.FromConfig(config, basePortOverride));
        }
        catch
        {
            sim.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return sim;
    }

    private void Bind(FacilityEndpoints requested)
    {
        var bound = new Dictionary<FacilityDevice, DeviceEndpoint>();
        foreach (var device in FacilityDevices.All)
        {
            var endpoint = requested[device];
            var address = ResolveListenAddress(endpoint.Host);
            var server = new LineServer(device.Name(), ProtocolOf(device), address, endpoint.Port, log);
            servers[device] = server;
            try
            {
                server.Start();
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new IOException($"cannot listen for the {device.Name()} device on {endpoint}: {e.Message}", e);
            }
            bound[device] = new DeviceEndpoint(endpoint.Host, server.LocalEndPoint.Port);
        }
        Endpoints = new FacilityEndpoints(bound);
    }

    private ILineProtocol ProtocolOf(FacilityDevice device) => device switch
    {
        FacilityDevice.Magnet => new MagnetSupplyScpi(Magnet),
        FacilityDevice.Collimators => new CollimatorMasterProtocol(Collimators),
        FacilityDevice.HighVoltage => new HvSupplyScpi(HighVoltage),
        FacilityDevice.Temperatures => new ThermistorReadoutScpi(Temperatures),
        _ => new BeamMonitorScpi(Beam),
    };

    private static IPAddress ResolveListenAddress(string host)
    {
        if (IPAddress.TryParse(host, out var address))
            return address;
        if (host == "localhost")
            return IPAddress.Loopback;
        var addresses = Dns.GetHostAddresses(host);
        return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
               ?? throw new IOException($"host '{host}' has no IPv4 address to listen on");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers.Values)
            await server.DisposeAsync().ConfigureAwait(false);
    }
}
