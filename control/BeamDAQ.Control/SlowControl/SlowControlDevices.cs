using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.SlowControl.Calibration;
using BeamDAQ.Control.SlowControl.Clients;
using BeamDAQ.Control.SlowControl.Polling;
using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Protocol.Hosting;
using Serilog;

namespace BeamDAQ.Control.SlowControl;

/// <summary>
/// The control node's view of the facility: one client per device, built from configs/facility.yaml (or
/// from a running simulator's bound endpoints), and the poller over all of them.
/// <code>
/// await using var devices = SlowControlDevices.Create(config, FacilityEndpoints.FromConfig(config), clock, log);
/// await using var poller = devices.CreatePoller();
/// poller.Subscribe(alarmEngine); _ = poller.RunAsync(stop);
/// </code>
/// </summary>
public sealed class SlowControlDevices : IAsyncDisposable
{
    private readonly FacilityConfig config;
    private readonly FacilityEndpoints endpoints;
    private readonly LineClientOptions options;
    private readonly IClock clock;
    private readonly ILogger log;

    private SlowControlDevices(FacilityConfig config, FacilityEndpoints endpoints, IClock clock, ILogger log)
    {
        this.config = config;
        this.endpoints = endpoints;
        this.clock = clock;
        this.log = log;
        options = LineClientOptions.FromConfig(config.SlowControl);
        Magnet = new MagnetSupplyClient(Line(FacilityDevice.Magnet), BeamEnergyCalibration.FromConfig(config.Magnet), clock);
        Collimators = new CollimatorClient(Line(FacilityDevice.Collimators), clock);
        HighVoltage = new HvSupplyClient(Line(FacilityDevice.HighVoltage), clock);
        Temperatures = new ThermistorClient(Line(FacilityDevice.Temperatures),
            NtcConversions.FromConfig(config.Temperatures.Thermistor, config.SlowControl.TemperatureConversion), clock);
        Beam = new BeamMonitorClient(Line(FacilityDevice.Beam), clock);
    }

    public static SlowControlDevices Create(FacilityConfig config, FacilityEndpoints endpoints, IClock clock, ILogger log) =>
        new(config, endpoints, clock, log);

    public MagnetSupplyClient Magnet { get; }
    public CollimatorClient Collimators { get; }
    public HvSupplyClient HighVoltage { get; }
    public ThermistorClient Temperatures { get; }
    public BeamMonitorClient Beam { get; }

    public IReadOnlyList<IPolledDevice> All => [Magnet, Collimators, HighVoltage, Temperatures, Beam];

    /// <summary>A poller over every device at slow_control.poll_interval_s.</summary>
    public SlowControlPoller CreatePoller() =>
        new(All, TimeSpan.FromSeconds(config.SlowControl.PollIntervalS), clock, log);

    /// <summary>
    /// A λ source for the digitizer simulator on its own connection, so per-bunch refreshes never queue
    /// behind the poller. Call Start() on it; dispose it when done.
    /// </summary>
    public BeamIntensityClient CreateBeamIntensity() =>
        new(new BeamMonitorClient(Line(FacilityDevice.Beam), clock), TimeSpan.FromSeconds(config.SlowControl.BeamRefreshIntervalS), clock, log);

    private LineClient Line(FacilityDevice device) => new(device.Name(), endpoints[device], options, clock, log);

    public async ValueTask DisposeAsync()
    {
        await Magnet.DisposeAsync().ConfigureAwait(false);
        await Collimators.DisposeAsync().ConfigureAwait(false);
        await HighVoltage.DisposeAsync().ConfigureAwait(false);
        await Temperatures.DisposeAsync().ConfigureAwait(false);
        await Beam.DisposeAsync().ConfigureAwait(false);
    }
}
