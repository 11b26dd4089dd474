using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.SlowControl;
using BeamDAQ.Control.SlowControl.Transport;
using Serilog.Core;

namespace BeamDAQ.Control.Tests.Facility.Support;

/// <summary>
/// A simulated facility on free ports of 127.0.0.1 driven by a <see cref="TestClock"/>, with slow-control
/// clients whose time-outs are short enough for tests.
/// </summary>
public sealed class TestFacility : IAsyncDisposable
{
    private SlowControlDevices? devices;

    private TestFacility(FacilityConfig config, TestClock clock, FacilitySimulator sim)
    {
        Config = config;
        Clock = clock;
        Sim = sim;
    }

    public FacilityConfig Config { get; }
    public TestClock Clock { get; }
    public FacilitySimulator Sim { get; }

    public DeviceEndpoint Endpoint(FacilityDevice device) => Sim.Endpoints[device];

    /// <summary>
    /// Read time-out for tests that make a device fall silent: short, so the test is quick. Everything else
    /// uses a patient time-out so a loaded machine cannot turn a slow answer into a lost device.
    /// </summary>
    public static readonly TimeSpan SilentDeviceTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Starts the facility; <paramref name="configure"/> may change the defaults first.</summary>
    public static TestFacility Start(Action<FacilityConfig>? configure = null, int readTimeoutMs = 5000)
    {
        var config = FacilityConfigLoader.Defaults();
        config.SlowControl.ReadTimeoutMs = readTimeoutMs;
        config.SlowControl.ConnectTimeoutMs = 1000;
        configure?.Invoke(config);
        var clock = new TestClock();
        var sim = FacilitySimulator.Start(config, clock, Logger.None, basePortOverride: 0, seed: 7);
        return new TestFacility(config, clock, sim);
    }

    public Task<RawConnection> ConnectAsync(FacilityDevice device) => RawConnection.OpenAsync(Endpoint(device));

    /// <summary>A client connection to one device that gives up after <see cref="SilentDeviceTimeout"/>.</summary>
    public LineClient ImpatientLine(FacilityDevice device) => new(device.Name(), Endpoint(device),
        LineClientOptions.FromConfig(Config.SlowControl) with { ReadTimeout = SilentDeviceTimeout }, Clock, Logger.None);

    /// <summary>The slow-control clients for this facility (created on first use, disposed with it).</summary>
    public SlowControlDevices Devices => devices ??= SlowControlDevices.Create(Config, Sim.Endpoints, Clock, Logger.None);

    public async ValueTask DisposeAsync()
    {
        if (devices is not null)
            await devices.DisposeAsync();
        await Sim.DisposeAsync();
    }
}
