using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Protocol.Transport;
using BeamDAQ.TestSupport;
using Serilog.Core;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>
/// The front end as the commands assemble it — a real PUB socket on a free 127.0.0.1 port, the publication queue and
/// thread, the simulator on a <see cref="VirtualClock"/> (time jumps to each bunch: minutes of beam in a moment) —
/// writing run files into a temporary directory. The factory of acquisition tests.
/// </summary>
internal sealed class FrontEndRig : IDisposable
{
    /// <summary>Short records, the simulator at "max", short timers; <c>{0}</c> is the output directory.</summary>
    public const string BaseYaml = """
        digitizer:
          record_length: 500
          pre_sample_ratio: 0.2
          channels:
            - id: 1
              range_v: 0.8
        simulator:
          seed: 11
          pacing: max
        output:
          directory: "{0}"
        publish:
          address: tcp://127.0.0.1:*
        run_control:
          address: tcp://127.0.0.1:*
        watchdog_s: 1
        heartbeat_s: 0.1
        """;

    private readonly Logger _logger;

    public FrontEndRig(string? extraYaml = null, Func<DaqConfiguration, IDigitizerProvider>? providerFactory = null,
        Func<DaqConfiguration, AcquisitionOptions>? options = null, string? outputDirectory = null)
    {
        Directory = new TempDirectory();
        Config = Load(outputDirectory ?? Directory.Path, extraYaml);
        _logger = Log.CreateLogger();
        Zmq = new ZmqContext();
        Publisher = DaqPublisher.Open(Zmq, Config, _logger);
        FrontEnd = new FrontEnd(Publisher, providerFactory ?? (c => new SimulatedHs4Provider(c.Simulator, Clock)), _logger, options);
    }

    /// <summary>The base configuration with <paramref name="extraYaml"/> merged over it (as a run-control override would be).</summary>
    public static DaqConfiguration Load(string outputDirectory, string? extraYaml = null)
    {
        var base_ = DaqConfigurationLoader.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, BaseYaml, outputDirectory.Replace("\\", "/")), "rig.yaml");
        if (extraYaml is null) return base_;
        var overrides = YamlToMap(extraYaml);
        return DaqConfigurationLoader.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, BaseYaml, outputDirectory.Replace("\\", "/")), "rig.yaml", overrides, "test");
    }

    public TempDirectory Directory { get; }
    public DaqConfiguration Config { get; }
    public VirtualClock Clock { get; } = new();
    public CollectingLog Log { get; } = new();
    public ZmqContext Zmq { get; }
    public DaqPublisher Publisher { get; }
    public FrontEnd FrontEnd { get; }
    public Logger Logger => _logger;

    /// <summary>The simulator's provider (after <see cref="FrontEnd.Configure"/>).</summary>
    public SimulatedHs4Provider Simulator => (SimulatedHs4Provider)FrontEnd.Provider!;

    /// <summary>A subscriber to everything the rig publishes.</summary>
    public EventSubscriber Subscribe(int receiveHighWaterMark = 100_000, params string[] topics) =>
        new(Zmq, Publisher.Endpoint, receiveHighWaterMark, topics);

    public void Dispose()
    {
        FrontEnd.Dispose();
        Publisher.Dispose();
        Zmq.Dispose();
        _logger.Dispose();
        Directory.Dispose();
    }

    private static Dictionary<string, object?> YamlToMap(string yaml)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(yaml));
        return (Dictionary<string, object?>)Convert(stream.Documents[0].RootNode)!;

        static object? Convert(YamlDotNet.RepresentationModel.YamlNode node) => node switch
        {
            YamlDotNet.RepresentationModel.YamlMappingNode m => m.Children.ToDictionary(kv => ((YamlDotNet.RepresentationModel.YamlScalarNode)kv.Key).Value!, kv => Convert(kv.Value)),
            YamlDotNet.RepresentationModel.YamlSequenceNode s => s.Children.Select(Convert).ToList(),
            YamlDotNet.RepresentationModel.YamlScalarNode v => v.Value,
            _ => null,
        };
    }
}
